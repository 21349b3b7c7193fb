from django.urls import path

from teaching import views

app_name = "teaching"

urlpatterns = [
    path("record/", views.my_record, name="my_record"),
    path("record/experience/", views.save_experience, name="save_experience"),
    path("record/requirements/<int:pk>/confirm/", views.confirm_requirement, name="confirm_requirement"),
    path("records/", views.records, name="records"),
    path("records/<int:mentor_id>/", views.mentor_record, name="mentor_record"),
    path("records/<int:mentor_id>/endorse/", views.endorse, name="endorse"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.revoke_certificate, name="revoke_certificate"),
    path("endorsements/<int:pk>/reissue/", views.reissue_certificate, name="reissue_certificate"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("readiness/", views.requirements, name="requirements"),
    path("readiness/<int:pk>/edit/", views.edit_requirement, name="edit_requirement"),
    path("readiness/<int:pk>/mentors/<int:mentor_id>/complete/", views.record_completion, name="record_completion"),
]
