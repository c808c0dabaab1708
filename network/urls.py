from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("network/", views.network, name="network"),
    path("network.graphml", views.graphml, name="graphml"),
    path("network.gexf", views.gexf, name="gexf"),
    path("network-kumu.xlsx", views.kumu, name="kumu"),
]
