"""Extract the catalog's source facts from Segment's own repositories.

On an Actions destination the ID Sync key (``mapTo``) is the key the audience event
carries, and the action picks it up through its default mapping (``@path``). This script
reads, for every catalog entry:

- from a checkout of segmentio/action-destinations: the destination whose ``slug:`` is
  the entry's Segment slug, the actions its Engage presets (``journeys_*`` events and
  automatic subscriptions; else every preset; else every action) run, and every
  ``@path`` those actions' default mappings read under ``traits``, ``context.traits``
  or ``properties``; the last part of each path is an event key ID Sync can fill.
  Identifier-like action fields without a default mapping (a mobile advertising ID, say)
  are listed too: ID Sync reaches them only when the person edits the mapping in Segment;
- from a checkout of segmentio/segment-docs: whether ``destinations.yml`` lists the slug
  (else it is marked unverified), its status, and whether the destination's page is in
  maintenance mode, with the pages it points to instead.

The facts go to ``resources/catalog/source-facts.json`` with the commits read.
``tests/catalog/test_source_facts.py`` holds the shipped catalog to them.

    python scripts/extract_source_facts.py --actions PATH --docs PATH           # diff
    python scripts/extract_source_facts.py --actions PATH --docs PATH --write   # write

PATH may be a work tree or a bare repository (read through ``git show``). Exit status: 0
when the recorded facts are current (or were written), 1 when they differ.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "resources" / "catalog" / "destinations.json"
FACTS = ROOT / "resources" / "catalog" / "source-facts.json"

DESTINATIONS_DIR = "packages/destination-actions/src/destinations"
DOCS_CATALOG = "src/_data/catalog/destinations.yml"
DOCS_PAGES = "src/connections/destinations/catalog"

# A default mapping's read of one top-level key: '$.traits.email', "$.properties.phone".
_PATH_READ = re.compile(
    r"""['"]@path['"]\s*:\s*['"]\$\.(context\.traits|traits|properties)\.([A-Za-z0-9_]+)['"]"""
)
_RELATIVE_IMPORT = re.compile(r"""from\s+['"](\.{1,2}/[^'"]+)['"]""")
_SLUG = re.compile(r"""^\s*slug:\s*['"]([^'"]+)['"]""", re.M)
_NAME = re.compile(r"""^\s*name:\s*['"]([^'"]+)['"]""", re.M)
_PARTNER_ACTION = re.compile(r"partnerAction:\s*'([^']+)'")
_EVENT_SLUG = re.compile(r"eventSlug:\s*'([^']+)'")
# An action field declared as `name: {` at the start of a line.
_FIELD_START = re.compile(r"^(\s+)([A-Za-z_][A-Za-z0-9_]*):\s*\{", re.M)
_IDENTIFIER_FIELD = re.compile(r"(?i)mobile.?ad|advertising.?id|idfa|madid|\bmaid\b")

KEY_KINDS: dict[str, str] = {
    # The value kind of an event key, by its name: what the catalog's field kind must be.
    "email": "email",
    "emails": "email",
    "email_address": "email",
    "phone": "phone",
    "phone_number": "phone",
    "phoneNumber": "phone",
    "phone_number_id": "phone",
    "phoneNumbers": "phone",
    "first_name": "first_name",
    "firstName": "first_name",
    "last_name": "last_name",
    "lastName": "last_name",
    "gender": "gender",
    "city": "city",
    "state": "state",
    "postal_code": "postal_code",
    "postalCode": "postal_code",
    "zip": "postal_code",
    "postal": "postal_code",
    "zipCodes": "postal_code",
    "country": "country",
    "country_code": "country",
    "countryCode": "country",
    "ios_idfa": "mobile_ad_id",
    "android_idfa": "mobile_ad_id",
    "idfa": "mobile_ad_id",
    "madid": "mobile_ad_id",
    "mobileDeviceIds": "mobile_ad_id",
    "mobile_advertising_id": "mobile_ad_id",
    "external_id": "external_id",
    "externalId": "external_id",
    "user_id": "external_id",
    "userId": "external_id",
    "crm_id": "external_id",
    "anonymous_id": "external_id",
    "braze_id": "external_id",
    "device_id": "device_id",
}


class Repository:
    """A git repository read at HEAD, work tree or bare alike."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.commit = self._git("rev-parse", "HEAD").strip()
        self._names: dict[str, list[str]] = {}

    def _git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise FileNotFoundError(done.stderr.strip() or " ".join(args))
        return done.stdout

    def read(self, name: str) -> str | None:
        try:
            return self._git("show", f"{self.commit}:{name}")
        except FileNotFoundError:
            return None

    def files(self, folder: str) -> list[str]:
        if folder not in self._names:
            listing = self._git("ls-tree", "-r", "--name-only", self.commit, folder)
            self._names[folder] = listing.split()
        return self._names[folder]

    def folders(self, folder: str) -> list[str]:
        return self._git("ls-tree", "--name-only", self.commit, folder + "/").split()


@dataclass
class KeyRead:
    key: str
    kind: str | None
    paths: dict[str, None] = field(default_factory=dict)  # in the order the code reads them
    places: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind,
            "paths": list(self.paths),
            "read_in": sorted(self.places),
        }


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _block(text: str, start: int) -> str:
    """The brace-balanced block that opens at ``text[start] == '{'``."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return text[start:]


class ActionsRepository:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.by_slug: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for folder in repo.folders(DESTINATIONS_DIR):
            index = repo.read(f"{folder}/index.ts")
            if index is None:
                continue
            match = _SLUG.search(index)
            if match:
                self.by_slug.setdefault(match.group(1), folder)
            named = _NAME.search(index)
            if named:
                self.by_name.setdefault(_comparable(named.group(1)), folder)

    def _ts(self, folder: str, name: str) -> str | None:
        """A module path as imported ('./sync') resolved to its file within ``folder``."""
        names = set(self.repo.files(folder))
        for candidate in (name + ".ts", name + "/index.ts", name):
            if candidate in names and candidate.endswith(".ts"):
                return candidate
        return None

    def _reachable(self, folder: str, start: str) -> list[str]:
        """``start`` and the destination's own modules it imports, transitively."""
        seen: list[str] = []
        todo = [start]
        while todo:
            name = todo.pop()
            if name in seen or "__tests__" in name or name.endswith("generated-types.ts"):
                continue
            seen.append(name)
            text = self.repo.read(name) or ""
            for module in _RELATIVE_IMPORT.findall(text):
                joined = str(PurePosixPath(name).parent / module)
                resolved = self._ts(folder, _normalise(joined))
                if resolved is not None:
                    todo.append(resolved)
        return sorted(seen)

    def _engage_actions(self, folder: str) -> list[str]:
        text = "\n".join(
            self.repo.read(name) or ""
            for name in (f"{folder}/index.ts", f"{folder}/presets.ts")
        )
        presets = []
        for match in _PARTNER_ACTION.finditer(text):
            preset = _block(text, text.rfind("{", 0, match.start()))
            event = _EVENT_SLUG.search(preset)
            automatic = re.search(r"type:\s*'automatic'", preset) is not None
            presets.append((match.group(1), "automatic" if automatic else (
                event.group(1) if event else "")))
        # Engage sends journey steps as journeys_* events and audiences to the presets
        # that subscribe to identify and track calls; warehouse_* presets are Reverse ETL.
        journeys = sorted(
            {a for a, event in presets if event.startswith("journey") or event == "automatic"}
        )
        if journeys:
            return journeys
        if presets:
            return sorted({a for a, _ in presets})
        return []

    def facts(self, slug: str, name: str) -> dict[str, object] | None:
        """What the code of ``slug`` reads; found by slug, else by the name that Segment's
        catalog gives it (some code slugs differ from the catalog's: rokt-audiences-actions
        is actions-rokt-audiences in code)."""
        folder = self.by_slug.get(slug)
        matched_by = "slug"
        if folder is None and name:
            folder = self.by_name.get(_comparable(name))
            matched_by = "name"
        if folder is None:
            return None
        actions = self._engage_actions(folder)
        starts = []
        for action in actions:
            start = self._ts(folder, f"{folder}/{_kebab(action)}") or self._ts(
                folder, f"{folder}/{action}"
            )
            if start is not None:
                starts.append(start)
        if not starts:  # no presets: every action the destination declares
            starts = [f"{folder}/index.ts"]
        files = sorted({name for start in starts for name in self._reachable(folder, start)})
        keys: dict[str, KeyRead] = {}
        unmapped: dict[str, dict[str, object]] = {}
        for name in files:
            text = self.repo.read(name) or ""
            for match in _PATH_READ.finditer(text):
                where, key = match.group(1), match.group(2)
                read = keys.setdefault(key, KeyRead(key, KEY_KINDS.get(key)))
                read.paths.setdefault(f"$.{where}.{key}")
                read.places.add(f"{name}:{_line_of(text, match.start())}")
            for field_match in _FIELD_START.finditer(text):
                field_name = field_match.group(2)
                block = _block(text, field_match.end() - 1)
                label = re.search(r"label:\s*'([^']*)'", block)
                label_text = label.group(1) if label else ""
                if "default:" in block or "@path" in block:
                    continue
                if not (
                    _IDENTIFIER_FIELD.search(field_name) or _IDENTIFIER_FIELD.search(label_text)
                ):
                    continue
                if not re.search(r"type:\s*'string'", block):
                    continue
                unmapped.setdefault(
                    field_name,
                    {
                        "field": field_name,
                        "label": label_text,
                        "kind": "mobile_ad_id",
                        "declared_in": f"{name}:{_line_of(text, field_match.start())}",
                    },
                )
        return {
            "code_folder": folder,
            "matched_by": matched_by,
            "actions": actions,
            "files": files,
            "keys": [keys[k].to_json() for k in sorted(keys)],
            "no_default_mapping": [unmapped[k] for k in sorted(unmapped)],
        }


def _comparable(name: str) -> str:
    """A destination name as compared across the code and the catalog: 'Vibe Audience'
    and 'Vibe Audiences' are one destination."""
    letters = re.sub(r"[^a-z0-9]", "", name.casefold())
    return letters.removesuffix("s")


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


class DocsRepository:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        text = repo.read(DOCS_CATALOG) or ""
        self.listed: dict[str, dict[str, str]] = {}
        for item in re.split(r"\n- id: ", text)[1:]:
            slug = re.search(r"\n  slug: (.*)", item)
            name = re.search(r"\n  display_name: (.*)", item)
            status = re.search(r"\n  status: (.*)", item)
            if slug:
                self.listed[slug.group(1).strip()] = {
                    "id": item.split("\n", 1)[0].strip(),
                    "name": name.group(1).strip() if name else "",
                    "status": status.group(1).strip() if status else "",
                }
        self._pages_by_id: dict[str, str] | None = None

    def _page_of(self, slug: str) -> str:
        """The destination's page: the folder named by its slug, else the page whose
        front matter carries the catalog item's id (pages move; ids stay)."""
        own = f"{DOCS_PAGES}/{slug}/index.md"
        if own in self.repo.files(DOCS_PAGES):
            return own
        item_id = self.listed.get(slug, {}).get("id", "")
        if not item_id:
            return ""
        if self._pages_by_id is None:
            self._pages_by_id = {}
            for name in self.repo.files(DOCS_PAGES):
                if name.count("/") == DOCS_PAGES.count("/") + 2 and name.endswith("/index.md"):
                    head = (self.repo.read(name) or "")[:2000]
                    found = re.search(r"^id:\s*(\S+)", head, re.M)
                    if found and "\npublished: false" not in head:
                        self._pages_by_id.setdefault(found.group(1), name)
        return self._pages_by_id.get(item_id, "")

    def facts(self, slug: str) -> dict[str, object]:
        page_name = self._page_of(slug)
        page = (self.repo.read(page_name) or "") if page_name else ""
        front = page.split("\n---", 1)[0] if page.startswith("---") else ""
        maintenance = bool(re.search(r"^maintenance:\s*true", front, re.M))
        instead: list[str] = []
        if maintenance:
            content = re.search(r"^maintenance-content:(.*?)(?=^\S|\Z)", front, re.M | re.S)
            if content:
                found = re.findall(r"/catalog/([a-z0-9-]+)[/)#]", content.group(1))
                instead = list(dict.fromkeys(found))
        listed = self.listed.get(slug)
        return {
            "listed": listed is not None,
            "status": listed["status"] if listed else "",
            "page": page_name if page else "",
            "maintenance": maintenance,
            "replaced_by": instead,
        }


def extract(actions: ActionsRepository, docs: DocsRepository) -> dict[str, object]:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    entries: dict[str, object] = {}
    for entry in catalog["destinations"]:
        slug = entry.get("segment_slug")
        if not slug:
            continue
        fact: dict[str, object] = {"docs": docs.facts(slug)}
        listed_name = docs.listed.get(slug, {}).get("name", "")
        code = actions.facts(slug, listed_name)
        if code is not None:
            fact["code"] = code
        entries[slug] = fact
    return {
        "read": {
            "segmentio/action-destinations": actions.repo.commit,
            "segmentio/segment-docs": docs.repo.commit,
        },
        "destinations": entries,
    }


def render(facts: dict[str, object]) -> str:
    return json.dumps(facts, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=Path, required=True, help="action-destinations")
    parser.add_argument("--docs", type=Path, required=True, help="segment-docs")
    parser.add_argument("--write", action="store_true", help="write the facts file")
    args = parser.parse_args(argv)
    facts = extract(
        ActionsRepository(Repository(args.actions)), DocsRepository(Repository(args.docs))
    )
    new = render(facts)
    old = FACTS.read_text(encoding="utf-8") if FACTS.exists() else ""
    if args.write:
        FACTS.write_text(new, encoding="utf-8")
        changed = sum(
            1
            for slug, fact in facts["destinations"].items()  # type: ignore[union-attr]
            if json.loads(old or "{}").get("destinations", {}).get(slug) != fact
        )
        print(f"wrote {FACTS.relative_to(ROOT)}: {changed} entries changed")
        return 0
    if new == old:
        print("source facts are current")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), "recorded", "sources"
        )
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
