"""W3C PROV-JSON export: the ledger's attribution graph in a standard form.

This module owns the mapping from the ledger's records to PROV
(https://www.w3.org/submissions/prov-json/), so other provenance tools can
read who said what, through whom, in which document, and what changed since.

The mapping:

- a **source** is an ``agent`` (``ledger:source/5``), typed ``prov:Person`` or
  ``prov:Organization`` (``prov:Agent`` for anonymous/other) plus a schema.org
  type, with ``ledger:kind`` and ``ledger:grade``; a source's ``affiliation``
  becomes ``actedOnBehalfOf``;
- a **document** is an ``entity`` (``ledger:document/3``) attributed to its
  outlet;
- a **claim** is an ``entity`` (``ledger:claim/12``): the figure as its origin
  stated it, ``wasAttributedTo`` the origin source;
- each **relay** repeats the claim, so each relay's version is its own entity
  (``ledger:claim/12/via/1``, ``…/via/2``) that was quoted from the previous
  version and is attributed to the relay. The document carries the last
  version. Attributing the one claim entity to every relay would lose the
  order, and ``actedOnBehalfOf`` would wrongly say the relay worked for the
  origin;
- the claim ``wasDerivedFrom`` its document: the document is where the ledger
  read it. When the document's outlet is the origin itself and there is no
  relay, that derivation is a primary source;
- a **derived total** is an entity derived from each of its parts;
- a **correction** keeps the claim's earlier value as an entity
  (``ledger:claim/12/before/7``: the claim as it stood before history entry 7)
  of which the next version is a revision.

PROV-JSON has no separate ``wasQuotedFrom``, ``wasRevisionOf`` or
``hadPrimarySource`` sections: the submission writes these subtypes as
``wasDerivedFrom`` records with ``prov:type`` ``prov:Quotation``,
``prov:Revision`` or ``prov:PrimarySource``, and that is what is emitted here
(PROV-N would print them as wasQuotedFrom etc.).

Names no source record matches (a claim's ``said_by`` or a relay not yet in
the sources table) still get an agent (``ledger:agent/<name>``), so every
identifier a relation uses is declared.

Pure: builds a dict; the caller serialises it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import quote as _urlquote

from ledger.model import Claim, Document, Source

PREFIXES = {
    "ledger": "urn:ledger:",
    "schema": "https://schema.org/",
    # prov: and xsd: are predeclared by PROV-JSON and must not be redeclared.
}

# PROV agent subtype and schema.org type for each source kind.
_AGENT_TYPES = {
    "ngo": ("prov:Organization", "schema:NGO"),
    "media": ("prov:Organization", "schema:NewsMediaOrganization"),
    "government": ("prov:Organization", "schema:GovernmentOrganization"),
    "armed-group": ("prov:Organization", "schema:Organization"),
    "person": ("prov:Person", "schema:Person"),
    "anonymous": ("prov:Agent", None),
    "other": ("prov:Agent", None),
}


def _qname(name: str) -> dict:
    # PROV-JSON types qualified-name values explicitly; a bare string would
    # be read as a plain xsd:string.
    return {"$": name, "type": "xsd:QName"}


def _types(*names: str | None) -> dict | list[dict]:
    values = [_qname(n) for n in names if n]
    return values[0] if len(values) == 1 else values


def _literal(value: object) -> object:
    """An attribute value in PROV-JSON form: dates typed, JSON scalars as is."""
    if isinstance(value, datetime):
        return {"$": value.isoformat(), "type": "xsd:dateTime"}
    if isinstance(value, date):
        return {"$": value.isoformat(), "type": "xsd:date"}
    return value


def _attrs(pairs: Iterable[tuple[str, object]]) -> dict:
    """Attributes without the empty ones: PROV has no null."""
    return {k: _literal(v) for k, v in pairs if v is not None and v != () and v != []}


def _slug(text: str) -> str:
    return _urlquote(text.strip(), safe="")


class _Graph:
    """Collects records and numbers relation ids per relation kind."""

    def __init__(self) -> None:
        self.doc: dict[str, dict] = {"prefix": dict(PREFIXES), "entity": {}, "agent": {}}
        self._counts: dict[str, int] = {}

    def relation(self, section: str, short: str, attrs: dict) -> str:
        n = self._counts.get(short, 0) + 1
        self._counts[short] = n
        rid = f"_:{short}{n}"
        self.doc.setdefault(section, {})[rid] = attrs
        return rid

    def attributed(self, entity: str, agent: str) -> None:
        self.relation("wasAttributedTo", "wAT", {"prov:entity": entity, "prov:agent": agent})

    def derived(self, generated: str, used: str, subtype: str | None = None, extra: dict | None = None) -> None:
        attrs: dict = {"prov:generatedEntity": generated, "prov:usedEntity": used}
        if subtype:
            attrs["prov:type"] = _qname(subtype)
        attrs.update(_attrs((extra or {}).items()))
        short = {"prov:Quotation": "wQF", "prov:Revision": "wRO", "prov:PrimarySource": "hPS"}.get(subtype or "", "wDF")
        self.relation("wasDerivedFrom", short, attrs)


def _source_agent_id(source: Source) -> str:
    return f"ledger:source/{source.id}"


def _quantity_attrs(prefix: str, value: object) -> list[tuple[str, object]]:
    """A Quantity (or its dict) as flat attributes: PROV values are scalars."""
    if value is None:
        return []
    d = value.to_dict() if hasattr(value, "to_dict") else dict(value)  # type: ignore[arg-type]
    return [
        (prefix, d.get("text")),
        (f"{prefix}Low", d.get("low")),
        (f"{prefix}High", d.get("high")),
        (f"{prefix}Kind", d.get("kind")),
        (f"{prefix}Best", d.get("best")),
    ]


def to_prov_json(
    sources: list[Source],
    documents: list[Document],
    claims: list[Claim],
    derived: Iterable[dict] = (),
    revisions: Iterable[dict] = (),
) -> dict:
    """The PROV-JSON document (a dict ready for ``json.dumps``) for these records.

    ``derived`` items: ``{"id": "derived:<name>", "parts": [claim ids],
    "said_by": name | None, …}``; other keys (e.g. ``value``, ``metric``)
    become ``ledger:`` attributes. ``revisions`` items: ``{"claim_id": 12,
    "seq": 7, "old_value": {quantity dict}}``, one per correction.

    Long because it is the whole graph in the order PROV-JSON readers expect
    it: agents, documents, claims with their attribution chains, derived
    totals, revisions. Each section is short and uses the ids the earlier ones
    made; as separate functions they would pass the graph and every id map.
    """
    g = _Graph()
    entity, agent = g.doc["entity"], g.doc["agent"]

    by_name: dict[str, str] = {}
    for s in sources:
        prov_type, schema_type = _AGENT_TYPES.get(s.kind, ("prov:Agent", None))
        agent[_source_agent_id(s)] = _attrs(
            [
                ("prov:type", _types(prov_type, schema_type)),
                ("prov:label", s.name),
                ("ledger:kind", s.kind),
                ("ledger:grade", s.grade),
                ("ledger:alias", list(s.aliases) or None),
            ]
        )
        # Names match as the resolver would see them typed: case-insensitive.
        for name in (s.name, *s.aliases):
            by_name.setdefault(name.casefold(), _source_agent_id(s))

    def agent_for(name: str) -> str:
        found = by_name.get(name.casefold())
        if found:
            return found
        aid = f"ledger:agent/{_slug(name)}"
        if aid not in agent:
            agent[aid] = {"prov:type": _qname("prov:Agent"), "prov:label": name}
        by_name[name.casefold()] = aid
        return aid

    for s in sources:
        if s.affiliation:
            g.relation(
                "actedOnBehalfOf",
                "aOBO",
                {"prov:delegate": _source_agent_id(s), "prov:responsible": agent_for(s.affiliation)},
            )

    docs_by_id: dict[int, Document] = {}
    for d in documents:
        did = f"ledger:document/{d.id}"
        docs_by_id[d.id] = d
        entity[did] = _attrs(
            [
                ("prov:type", _types("ledger:Document", "schema:CreativeWork")),
                ("prov:label", d.title),
                ("schema:url", d.url),
                ("schema:datePublished", d.published),
                ("ledger:outlet", d.outlet),
                ("ledger:sha256", d.sha256),
            ]
        )
        g.attributed(did, agent_for(d.outlet))

    def claim_entity(claim_id: int) -> str:
        cid = f"ledger:claim/{claim_id}"
        # A part or revision naming a claim not in the export still gets a
        # declared (bare) entity, so the graph stays closed.
        entity.setdefault(cid, {"prov:type": _qname("ledger:Claim")})
        return cid

    for c in claims:
        cid = f"ledger:claim/{c.id}"
        period = c.period
        entity[cid] = _attrs(
            [
                ("prov:type", _qname("ledger:Claim")),
                ("prov:label", f"{c.said_by}: {c.metric}{f' ({c.group})' if c.group else ''} {c.value.text}"),
                ("ledger:event", c.event),
                ("ledger:metric", c.metric),
                ("ledger:group", c.group),
                *_quantity_attrs("ledger:value", c.value),
                ("ledger:periodStart", period.start if period else None),
                ("ledger:periodEnd", period.end if period else None),
                ("ledger:location", c.location),
                ("ledger:quote", c.quote),
                ("ledger:quoteVerified", c.quote_verified if c.quote else None),
                ("ledger:credibility", c.credibility),
                ("ledger:retracted", c.retracted or None),
                ("ledger:recordedAt", c.recorded_at),
            ]
        )
        g.attributed(cid, agent_for(c.said_by))
        previous = cid
        for n, relay in enumerate(c.via, start=1):
            vid = f"{cid}/via/{n}"
            entity[vid] = {
                "prov:type": _qname("ledger:ClaimAsRelayed"),
                "prov:label": f"{relay} relaying {c.said_by}: {c.value.text}",
                "ledger:relayPosition": n,
            }
            g.derived(vid, previous, "prov:Quotation")
            g.attributed(vid, agent_for(relay))
            previous = vid
        if c.document_id is not None:
            did = f"ledger:document/{c.document_id}"
            doc = docs_by_id.get(c.document_id)
            if doc is None:
                entity.setdefault(did, {"prov:type": _qname("ledger:Document")})
            outlet = doc.outlet if doc else c.outlet
            primary = not c.via and outlet is not None and agent_for(outlet) == agent_for(c.said_by)
            g.derived(cid, did, "prov:PrimarySource" if primary else None)

    for item in derived:
        raw = str(item["id"])
        name = raw.split(":", 1)[1] if raw.startswith("derived:") else raw
        xid = f"ledger:derived/{_slug(name)}"
        value = item.get("value")
        value_attrs = (
            _quantity_attrs("ledger:value", value)
            if isinstance(value, dict) or hasattr(value, "to_dict")
            else [("ledger:value", value)]
        )
        # Other scalar keys are kept; nested ones have no PROV attribute form.
        extra = [
            (f"ledger:{k}", v)
            for k, v in item.items()
            if k not in ("id", "parts", "said_by", "value") and not isinstance(v, (dict, list, tuple))
        ]
        entity[xid] = _attrs(
            [("prov:type", _qname("ledger:DerivedFigure")), ("prov:label", raw), *value_attrs, *extra]
        )
        for part in item.get("parts", ()):
            g.derived(xid, claim_entity(int(part)))
        if item.get("said_by"):
            g.attributed(xid, agent_for(str(item["said_by"])))

    # Corrections per claim, oldest first: each earlier version is revised
    # into the next, the last into the claim as it stands now.
    per_claim: dict[int, list[dict]] = {}
    for r in revisions:
        per_claim.setdefault(int(r["claim_id"]), []).append(r)
    for claim_id, revs in per_claim.items():
        revs.sort(key=lambda r: int(r["seq"]))
        current = claim_entity(claim_id)
        versions = [f"{current}/before/{int(r['seq'])}" for r in revs]
        for r, vid in zip(revs, versions):
            entity[vid] = _attrs(
                [
                    ("prov:type", _qname("ledger:ClaimVersion")),
                    *_quantity_attrs("ledger:value", r.get("old_value")),
                    ("ledger:supersededAtSeq", int(r["seq"])),
                ]
            )
        for i, r in enumerate(revs):
            newer = versions[i + 1] if i + 1 < len(versions) else current
            g.derived(newer, versions[i], "prov:Revision", extra={"ledger:seq": int(r["seq"]), "ledger:reason": r.get("reason")})

    # Sections with no records are left out, as PROV-JSON writers do.
    return {k: v for k, v in g.doc.items() if v or k == "prefix"}
