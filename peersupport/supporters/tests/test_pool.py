"""Training and intervision rules, the directory and its embed, photos, the feed."""

import io
import shutil
import tempfile
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from peersupport.cases.matching import available_supporters
from peersupport.people.models import ApiToken, Employee, Scope, User
from peersupport.supporters.models import Attendance, IntervisionMeeting, MeetingPlace, Supporter
from peersupport.test import PASSWORD, BaseTestCase


def jpeg_with_gps(size: tuple[int, int] = (1200, 900)) -> bytes:
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


class MediaTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp()
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(shutil.rmtree, self.media, True)

    def place(self, label: str) -> MeetingPlace:
        return MeetingPlace.objects.get_or_create(label=label)[0]

    def as_user(self, username: str) -> None:
        assert self.client.login(username=username, password=PASSWORD)


class TrainingRuleTests(MediaTestCase):
    def test_without_the_training_a_supporter_is_neither_assignable_nor_listed(self) -> None:
        Supporter.objects.filter(pk=self.bob_supporter.pk).update(trained_on=None)
        assert self.bob_supporter not in available_supporters()
        assert self.bob_supporter not in Supporter.objects.in_directory()
        self.as_user("erin")
        assert "Bob Supporter" not in self.client.get("/directory/").content.decode()

    def test_no_intervision_in_twelve_months_is_flagged(self) -> None:
        today = timezone.localdate()
        old = IntervisionMeeting.objects.create(
            held_on=today - timedelta(days=400), place=self.place("Zaal 1")
        )
        recent = IntervisionMeeting.objects.create(
            held_on=today - timedelta(days=30), place=self.place("Zaal 2")
        )
        Attendance.objects.create(meeting=old, supporter=self.bob_supporter)
        Attendance.objects.create(meeting=recent, supporter=self.charlie_supporter)
        annotated = {s.pk: s.last_intervision for s in Supporter.objects.with_last_intervision()}  # type: ignore[attr-defined]
        assert self.bob_supporter.intervision_due(annotated[self.bob_supporter.pk])
        assert not self.charlie_supporter.intervision_due(annotated[self.charlie_supporter.pk])
        self.as_user("alice")
        dashboard = self.client.get("/cases/dashboard/")
        flags = {s.employee.name: s.needs_intervision for s in dashboard.context["supporters"]}
        assert flags == {"Bob Supporter": True, "Charlie Supporter": False}
        pool = self.client.get("/cases/pool/")
        assert pool.context["up_to_date"] == 1 and "Intervision due" in pool.content.decode()

    def test_a_planned_meeting_in_the_future_does_not_count_yet(self) -> None:
        future = IntervisionMeeting.objects.create(
            held_on=timezone.localdate() + timedelta(days=5), place=self.place("Zaal 3")
        )
        Attendance.objects.create(meeting=future, supporter=self.bob_supporter)
        annotated = Supporter.objects.with_last_intervision().get(pk=self.bob_supporter.pk)
        last = annotated.last_intervision  # type: ignore[attr-defined]
        assert last is None

    def test_the_coordinator_plans_a_meeting_and_records_attendance(self) -> None:
        self.as_user("alice")
        self.client.post("/supporters/intervision/", {"place-label": "Vergaderzaal 2"})
        room = MeetingPlace.objects.get(label="Vergaderzaal 2")
        response = self.client.post(
            "/supporters/intervision/", {"held_on": "2026-11-10", "place": room.pk}
        )
        meeting = IntervisionMeeting.objects.get()
        assert response["Location"] == f"/supporters/intervision/{meeting.pk}/"
        self.client.post(
            f"/supporters/intervision/{meeting.pk}/",
            {"attended": [self.bob_supporter.pk, "x", 99999]},
        )
        assert list(meeting.attendances.values_list("supporter", flat=True)) == [
            self.bob_supporter.pk
        ]
        self.client.post(
            f"/supporters/intervision/{meeting.pk}/", {"attended": [self.charlie_supporter.pk]}
        )
        assert list(meeting.attendances.values_list("supporter", flat=True)) == [
            self.charlie_supporter.pk
        ]

    def test_a_meeting_place_cannot_be_a_story(self) -> None:
        self.as_user("alice")
        for story in (
            "Zaal 2; we discussed Erin's case\nat length",
            "… gave the wrong dose, patient died",
            "gave the wrong dose patient died",
        ):
            response = self.client.post(
                "/supporters/intervision/", {"held_on": "2026-11-10", "place": story}
            )
            assert response.status_code == 400 and "place" in response.context["form"].errors
            response = self.client.post("/supporters/intervision/", {"place-label": story})
            assert response.status_code == 400, story
            assert "label" in response.context["place_form"].errors
        assert not IntervisionMeeting.objects.exists() and not MeetingPlace.objects.exists()

    def test_the_coordinator_records_training_and_refreshers(self) -> None:
        self.as_user("alice")
        self.client.post(
            f"/supporters/{self.bob_supporter.pk}/training/", {"initial-trained_on": "2025-03-01"}
        )
        self.client.post(
            f"/supporters/{self.bob_supporter.pk}/training/refreshers/",
            {"refresher-completed_on": "2026-02-01"},
        )
        self.bob_supporter.refresh_from_db()
        assert self.bob_supporter.trained_on == date(2025, 3, 1)
        assert [r.completed_on for r in self.bob_supporter.refreshers.all()] == [date(2026, 2, 1)]
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = self.client.post(
            f"/supporters/{self.bob_supporter.pk}/training/refreshers/",
            {"refresher-completed_on": tomorrow},
        )
        assert response.status_code == 400 and self.bob_supporter.refreshers.count() == 1

    def test_only_the_coordinator_keeps_training_and_intervision(self) -> None:
        meeting = IntervisionMeeting.objects.create(
            held_on=date(2026, 1, 1), place=self.place("Zaal")
        )
        for username in ("bob", "erin", "hanna", "boris", "mark"):
            with self.subTest(username=username):
                self.as_user(username)
                assert self.client.get("/supporters/intervision/").status_code == 403
                assert (
                    self.client.post(
                        f"/supporters/intervision/{meeting.pk}/",
                        {"attended": [self.bob_supporter.pk]},
                    ).status_code
                    == 403
                )
                assert (
                    self.client.post(
                        f"/supporters/{self.bob_supporter.pk}/training/", {"initial-trained_on": ""}
                    ).status_code
                    == 403
                )
                assert self.client.get("/cases/pool/").status_code == 403
        assert not Attendance.objects.exists()
        self.bob_supporter.refresh_from_db()
        assert self.bob_supporter.trained_on is not None


class DirectoryTests(MediaTestCase):
    def test_the_directory_hides_absent_untrained_and_unlisted_supporters(self) -> None:
        self.as_user("erin")
        assert {s.employee.name for s in self.client.get("/directory/").context["supporters"]} == {
            "Bob Supporter",
            "Charlie Supporter",
        }
        today = timezone.localdate()
        self.bob_supporter.absences.create(starts_on=today, ends_on=today + timedelta(days=2))
        self.charlie_supporter.listed_in_directory = False
        self.charlie_supporter.save()
        assert list(self.client.get("/directory/").context["supporters"]) == []

    def test_a_large_pool_is_paged_and_the_filter_kept_across_pages(self) -> None:
        users = User.objects.bulk_create(User(username=f"pool{i}") for i in range(31))
        people = Employee.objects.bulk_create(
            Employee(
                staff_number=f"p{i}",
                name=f"Pool {i:02d}",
                department=self.icu,
                function=self.nurse,
                user=user,
            )
            for i, user in enumerate(users)
        )
        Supporter.objects.bulk_create(
            Supporter(employee=p, trained_on=date(2024, 1, 1)) for p in people
        )
        self.as_user("erin")
        first = self.client.get(f"/directory/?department={self.icu.pk}")
        assert len(first.context["supporters"]) == 30
        html = first.content.decode()
        assert "Page 1 of 2" in html
        assert f'href="?department={self.icu.pk}&amp;page=2"' in html
        second = self.client.get(f"/directory/?department={self.icu.pk}&page=2")
        assert [s.employee.name for s in second.context["supporters"]] == ["Pool 30"]
        beyond = self.client.get(f"/directory/?department={self.icu.pk}&page=99")
        assert beyond.status_code == 200 and beyond.context["supporters"].number == 2

    def test_filters_by_function_department_and_language(self) -> None:
        self.charlie.function = self.doctor
        self.charlie.save()
        self.bob_supporter.languages.create(language="en")
        self.charlie_supporter.departments_known.add(self.icu)
        self.as_user("erin")

        def names(query: str) -> set[str]:
            return {
                s.employee.name
                for s in self.client.get(f"/directory/?{query}").context["supporters"]
            }

        assert names(f"function={self.doctor.pk}") == {"Charlie Supporter"}
        assert names("language=en") == {"Bob Supporter"}
        assert names(f"department={self.icu.pk}") == {"Charlie Supporter"}

    def test_the_embed_is_frameable_only_from_the_allowed_origins(self) -> None:
        with override_settings(DIRECTORY_FRAME_ANCESTORS=["https://intranet.hospital.example"]):
            response = self.client.get("/directory/embed/")
        assert response.status_code == 200
        assert (
            "frame-ancestors https://intranet.hospital.example"
            in response["Content-Security-Policy"]
        )
        assert "X-Frame-Options" not in response
        assert (
            "<nav" not in response.content.decode() and "Bob Supporter" in response.content.decode()
        )
        with override_settings(DIRECTORY_FRAME_ANCESTORS=[]):
            response = self.client.get("/directory/embed/")
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        # The rest of the application is never frameable.
        assert self.client.get("/login/")["X-Frame-Options"] == "DENY"

    def test_the_json_feed_needs_a_token_or_a_session(self) -> None:
        assert self.client.get("/api/v1/directory").status_code == 401
        _token, secret = ApiToken.issue("intranet", Scope.READ_DIRECTORY)
        response = self.client.get("/api/v1/directory", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        assert [e["name"] for e in response.json()] == ["Bob Supporter", "Charlie Supporter"]
        assert set(response.json()[0]) == {
            "name",
            "function",
            "department",
            "phone",
            "languages",
            "photo",
        }
        _other, intake_secret = ApiToken.issue("vim", Scope.SUBMIT_REQUESTS)
        assert (
            self.client.get(
                "/api/v1/directory", HTTP_AUTHORIZATION=f"Bearer {intake_secret}"
            ).status_code
            == 403
        )
        self.as_user("erin")
        assert self.client.get("/api/v1/directory").status_code == 200

    def test_the_directory_page_needs_sign_in(self) -> None:
        assert self.client.get("/directory/")["Location"].startswith("/login/")


class PhotoTests(MediaTestCase):
    def upload(self, content: bytes, name: str = "me.jpg") -> object:
        self.as_user("bob")
        return self.client.post(
            "/supporters/profile/photo/", {"photo": SimpleUploadedFile(name, content)}
        )

    def test_a_photo_with_gps_metadata_is_stored_without_it_and_resized(self) -> None:
        original = jpeg_with_gps()
        assert b"CameraMaker" in original
        response = self.upload(original)
        assert response.status_code == 302  # type: ignore[attr-defined]
        self.bob_supporter.refresh_from_db()
        stored = self.bob_supporter.photo.read()
        assert b"CameraMaker" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif() and not image.getexif().get_ifd(0x8825)
            assert max(image.size) <= 480
        assert "bob" not in str(self.bob_supporter.photo.name).lower()

    def test_a_file_that_is_not_an_image_is_refused_with_a_message(self) -> None:
        response = self.upload(b"%PDF-1.4 not a photo", name="cv.pdf")
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert "not a photo that can be used" in response.content.decode()  # type: ignore[attr-defined]
        self.bob_supporter.refresh_from_db()
        assert not self.bob_supporter.photo

    def test_an_over_large_image_is_refused_with_a_message(self) -> None:
        big = io.BytesIO()
        Image.effect_noise((2000, 2000), 100).convert("RGB").save(big, "PNG")
        assert len(big.getvalue()) > 5 * 1024 * 1024
        response = self.upload(big.getvalue(), name="big.png")
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert "larger than 5 MB" in response.content.decode()  # type: ignore[attr-defined]

    def test_a_gif_is_refused(self) -> None:
        gif = io.BytesIO()
        Image.new("RGB", (10, 10)).save(gif, "GIF")
        response = self.upload(gif.getvalue(), name="a.gif")
        assert "Use a JPEG, PNG or WebP photo." in response.content.decode()  # type: ignore[attr-defined]

    def test_a_photo_is_shown_only_while_its_supporter_is_listed(self) -> None:
        self.upload(jpeg_with_gps((100, 100)))
        self.bob_supporter.refresh_from_db()
        url = self.bob_supporter.photo_url
        self.client.logout()
        assert self.client.get(url).status_code == 200
        self.bob_supporter.listed_in_directory = False
        self.bob_supporter.save()
        assert self.client.get(url).status_code == 404
        self.as_user("bob")
        assert self.client.get(url).status_code == 200
