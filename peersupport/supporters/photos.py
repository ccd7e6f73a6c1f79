"""A supporter's photo: a real image of an allowed type and size, resized, and stored
without its metadata (EXIF location, camera, date) by re-encoding only the pixels."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
SIZE = (480, 480)


def clean_photo(upload: UploadedFile) -> ContentFile:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB. Choose a smaller one."))
    try:
        with Image.open(upload) as probe:
            kind = probe.format
            if kind not in ALLOWED_FORMATS:
                raise ValidationError(_("Use a JPEG, PNG or WebP photo."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels. Choose a smaller one."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            upright = ImageOps.exif_transpose(image)  # keep its orientation, lose its EXIF
            upright.thumbnail(SIZE)
            out = BytesIO()
            upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(_("This file is not a photo that can be used.")) from None
    return ContentFile(out.getvalue(), name="photo.jpg")
