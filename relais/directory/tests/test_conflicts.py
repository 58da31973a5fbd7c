"""No lost update on a directory entry (issue 20 §1): the service's own staff and a directory
editor edit the same entry; the second save over a newer version is refused and shows both."""

from __future__ import annotations

import pytest

from relais.conftest import make_user, verified_client
from relais.core.models import FormDraft
from relais.directory.forms import ServiceForm
from relais.directory.models import Service

pytestmark = pytest.mark.django_db


def posted(service: Service, **changes) -> dict:
    """The edit form as its keeper reads it (hidden version included), with ``changes``."""
    data = {name: value for name, value in ServiceForm.initial_for(service, keeper=True).items()
            if value is not None}
    data["agency"] = service.agency_id
    data["target_groups"] = list(service.target_groups)
    for name, value in list(data.items()):
        if isinstance(value, bool) and not value:
            del data[name]  # an unchecked box is not posted
    return {**data, **changes}


def test_the_keeper_and_an_editor_edit_the_same_entry(cast, directory):
    entry = directory.support_fr
    url = f"/directory/{entry.pk}/edit/"
    keeper = verified_client(cast.support_worker)
    editor_user = make_user("editor_conflict", cast.platform, "directory_editor")
    editor = verified_client(editor_user)
    read = posted(entry)  # both opened the form now
    assert f'name="version" value="{read["version"]}"' in keeper.get(url).content.decode()

    first = keeper.post(url, {**read, "phone": "02 555 12 34"})
    assert first.status_code == 302, first.content.decode()[:3000]
    second = editor.post(url, {**read, "name": "Renamed by the editor (test)"})

    page = second.content.decode()
    assert second.status_code == 200 and "Someone else saved this record" in page
    assert "Renamed by the editor (test)" in page  # her typing kept
    assert FormDraft.objects.filter(user=editor_user, path=url).exists()
    entry.refresh_from_db()
    assert entry.name != "Renamed by the editor (test)" and "555 12 34" in entry.phone

    newer = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    kept = editor.post(url, {**read, "name": "Renamed by the editor (test)",
                             "phone": entry.phone, "version": newer})
    assert kept.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Renamed by the editor (test)" and "555 12 34" in entry.phone
