"""PostgreSQL-only models for checked snippets marked `python verify postgres`."""
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    labels = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    search = SearchVectorField(null=True, blank=True)

    class Meta:
        indexes = [GinIndex(fields=["search"], name="article_search_gin")]


class Room(models.Model):
    name = models.CharField(max_length=50)


class Booking(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
