def new_submission(record_id: int) -> None:
    pass
