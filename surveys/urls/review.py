from django.urls import path

from surveys.views import review

urlpatterns: list = [
    path("review/", review.review_list, name="review_list"),
    path("review/<int:pk>/", review.review_detail, name="review_detail"),
    path("review/<int:pk>/approve/", review.review_approve, name="review_approve"),
    path("review/<int:pk>/return/", review.review_return, name="review_return"),
    path("review/<int:pk>/reopen/", review.review_reopen, name="review_reopen"),
    path("progress/<slug:code>/", review.progress, name="progress"),
    path(
        "progress/<slug:code>/organisations/",
        review.progress_organisations,
        name="progress_organisations",
    ),
]
