from django.urls import path

from assessment.views import respondent

# Every page after /start/ is under the private link's token: /a/<token>/...
urlpatterns = [
    path("start/", respondent.start, name="start"),
    path("a/<str:token>/", respondent.resume, name="resume"),
    path("a/<str:token>/details/", respondent.details, name="details"),
    path("a/<str:token>/q/<str:question_id>/", respondent.question, name="question"),
    path("a/<str:token>/check/", respondent.check, name="check"),
    path("a/<str:token>/result/", respondent.result, name="result"),
    path("a/<str:token>/reply/", respondent.reply, name="reply"),
    path("a/<str:token>/revise/", respondent.revise, name="revise"),
]
