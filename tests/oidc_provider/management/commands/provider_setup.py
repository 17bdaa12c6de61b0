"""Registers the service under test as a client, and the provider's users with their groups."""

from __future__ import annotations

import json

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandParser
from oauth2_provider.models import Application


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument(
            "--users", required=True, help='JSON: [{"username", "password", "groups"}]'
        )

    def handle(self, *args: object, **options: str) -> None:
        Application.objects.create(
            name="Self-assessment (under test)",
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=options["redirect_uri"],
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
        for spec in json.loads(options["users"]):
            user = User.objects.create_user(
                spec["username"],
                email=f"{spec['username']}@idp.example",
                password=spec["password"],
                first_name=spec["username"].title(),
            )
            for name in spec["groups"]:
                user.groups.add(Group.objects.get_or_create(name=name)[0])
