from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("summary.pdf", views.term_summary_pdf, name="summary_pdf"),
    path("export/<slug:key>.csv", views.export_table, name="export"),
    path("exams/import/", views.exam_import, name="exam_import"),
    path("exams/import/<int:pk>/", views.exam_import_preview, name="exam_import_preview"),
    path("exams/outreach/", views.exam_outreach, name="exam_outreach"),
    path("research-export/", views.research_export, name="research_export"),
]
