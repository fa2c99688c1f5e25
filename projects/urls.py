app_name = "projects"

# Pages are added with the project views.
urlpatterns: list = []
