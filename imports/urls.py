from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/history/", views.history, name="history"),
    path("import/<int:pk>/", views.batch_detail, name="batch"),
    path("import/<int:pk>/commit/", views.batch_commit, name="commit"),
    path("import/<int:pk>/undo/", views.batch_undo, name="undo"),
]
