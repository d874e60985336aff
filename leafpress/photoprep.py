"""Photos for a build: prepared once per size and target, before outputs render, and converted to the targets' colours."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import reads
from .constants import TARGETS
from .content import Campaign
from .errors import LeafpressError
from .layouts import Layout, LayoutLibrary
from .records import OutputJob, TargetOptions
from .targets import Preparation, convert_photo, prepare

if TYPE_CHECKING:
    from .photos import PhotoSettings, PreparedPhoto


class PhotoPreparation:
    """The photo side of a Builder: what it prepared and converted, kept for the whole build.

    The Builder gives it `root`, `library`, `target_options` and `cache_dir`, and the caches
    `_photos`, `_converted` and `_preparations`."""

    root: Path
    library: LayoutLibrary
    target_options: TargetOptions
    cache_dir: Path
    _photos: dict[tuple, PreparedPhoto | LeafpressError]
    _converted: dict[tuple, Path]
    _preparations: dict[str, Preparation]

    def photo_settings(self, job: OutputJob, layout: Layout) -> PhotoSettings:
        """Placed size from the layout, resolution and colour mode for the output's target."""
        from .photos import settings_for

        return settings_for(
            self.root,
            job.options,
            layout.page_size_mm,
            job.campaign,
            ppi=TARGETS[job.target].photo_ppi,
        )

    def photos_for(
        self, campaign: Campaign, settings: PhotoSettings | None = None
    ) -> list[PreparedPhoto]:
        from .photos import prepare_photo

        reads.record(*(photo.file for photo in campaign.photos))
        prepared = []
        for photo in campaign.photos:
            key = (campaign.key, photo.index, settings)
            if key not in self._photos:
                try:
                    self._photos[key] = prepare_photo(
                        campaign, photo, self.cache_dir / "photos", settings
                    )
                except LeafpressError as exc:
                    self._photos[key] = exc
            found = self._photos[key]
            if isinstance(found, LeafpressError):
                raise found
            prepared.append(found)
        return prepared

    def prepare_photos(self, jobs: Iterable[OutputJob], workers: int = 1) -> None:
        """Prepare every photo the jobs print at every size and in every colour they need, one
        photo at a time (each original is decoded once for all its sizes), in up to `workers`
        processes; the workers that render then find them all on disk.

        What fails is kept, and reported by each output that needs the photo (photos_for)."""
        jobs = list(jobs)
        sizes: dict[str, tuple[Campaign, list[PhotoSettings]]] = {}
        for job in jobs:
            # A layout or frame that fails is reported by its own outputs.
            with contextlib.suppress(LeafpressError):
                layout = self.library.get(job.layout)
                if "photos" in layout.requires:
                    settings = self.photo_settings(job, layout)
                    campaign, wanted = sizes.setdefault(job.campaign.key, (job.campaign, []))
                    if settings not in wanted:
                        wanted.append(settings)
        if not sizes:
            return  # no photo printed: a leaflet's build does not import the photo stack
        from .photos import masks_faces, prepare_photo_sizes
        from .workers import call_keeping_errors, map_in_workers

        tasks, here = [], []
        for campaign, wanted in sizes.values():
            for photo in campaign.photos:
                todo = [s for s in wanted if (campaign.key, photo.index, s) not in self._photos]
                if todo:
                    # Face detection (OpenCV and its threads) stays in this process.
                    masked = any(masks_faces(photo, s) for s in todo)
                    (here if masked else tasks).append(
                        (campaign, photo, self.cache_dir / "photos", todo)
                    )
        done_here: list = []

        def meanwhile() -> None:
            # What this process does anyway, while the workers prepare the other photos: the
            # photos it masks, and the targets' preparations (the first imports WeasyPrint).
            done_here.extend(call_keeping_errors(prepare_photo_sizes, task) for task in here)
            if here:
                from .faces import release_networks

                release_networks()  # ~300 MB the rendering that follows needs more
            for target in dict.fromkeys(job.target for job in jobs):
                with contextlib.suppress(LeafpressError):  # its outputs report it
                    self.preparation(target)

        results = map_in_workers(prepare_photo_sizes, tasks, workers, meanwhile) + done_here
        for (campaign, photo, _, todo), prepared in zip([*tasks, *here], results, strict=True):
            if isinstance(prepared, Exception):
                prepared = [prepared] * len(todo)
            for settings, result in zip(todo, prepared, strict=True):
                if not isinstance(result, OSError):  # an output that needs it says so
                    self._photos[campaign.key, photo.index, settings] = result

        # Then in the targets' colours (CMYK, grey), so no two workers convert the same photo.
        conversions: dict[tuple, tuple] = {}
        for job in jobs:
            with contextlib.suppress(LeafpressError, OSError):
                layout = self.library.get(job.layout)
                if "photos" in layout.requires:
                    prep = self.preparation(job.target)
                    if prep.photo_mode:
                        for photo in self.photos_for(
                            job.campaign, self.photo_settings(job, layout)
                        ):
                            key = (photo.path, prep.photo_mode, prep.icc, prep.max_ink)
                            if key not in self._converted:
                                folder = self.cache_dir / "photos"
                                conversions[key] = (
                                    photo.path,
                                    prep.photo_mode,
                                    folder,
                                    prep.icc,
                                    prep.max_ink,
                                )
        converted = map_in_workers(convert_photo, list(conversions.values()), workers)
        for key, path in zip(conversions, converted, strict=True):
            if not isinstance(path, Exception):
                self._converted[key] = path

    def preparation(self, target: str) -> Preparation:
        if target not in self._preparations:
            self._preparations[target] = prepare(
                target, self.target_options, self.root / "layouts" / "_shared"
            )
        return self._preparations[target]

    def target_photos(self, photos: list[PreparedPhoto], prep: Preparation) -> list[PreparedPhoto]:
        """Photos as the target prints them: CMYK through the ICC profile, or lifted grey."""
        if not prep.photo_mode:
            return photos
        # Beside the prepared photos, whose folder is the only one photo URLs reach (render.py).
        folder = self.cache_dir / "photos"
        converted = []
        for photo in photos:
            # Each layout's photo serves three languages: read and hash it once per build.
            key = (photo.path, prep.photo_mode, prep.icc, prep.max_ink)
            if key not in self._converted:
                self._converted[key] = convert_photo(
                    photo.path, prep.photo_mode, folder, prep.icc, prep.max_ink
                )
            converted.append(dataclasses.replace(photo, path=self._converted[key]))
        return converted
