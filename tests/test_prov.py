import json
from datetime import date

from ledger.model import Claim, Document, Period, Source
from ledger.provenance.prov import to_prov_json
from ledger.figures import Quantity

SOURCES = [
    Source(1, "Al Jazeera", "media", aliases=("Al-Jazeera",), grade="B"),
    Source(2, "Syrian Observatory for Human Rights", "ngo", aliases=("SOHR",), grade="B"),
    Source(3, "Syrian Democratic Forces", "armed-group", aliases=("SDF",)),
    Source(4, "Mazloum Abdi", "person", affiliation="SDF"),
    Source(5, "local sources", "anonymous"),
]
DOCUMENTS = [
    Document(1, "Al Jazeera", date(2022, 1, 22), url="https://example.org/hasaka", title="Clashes continue in Hasaka"),
    Document(2, "SOHR", date(2022, 1, 22)),
]
EVENT = "hasaka-prison-2022"
CLAIMS = [
    # SOHR's figure as relayed by Al Jazeera.
    Claim(12, EVENT, "killed", Quantity("45", 45, 45, "exact", 45), "Syrian Observatory for Human Rights",
          group="isis", via=("Al Jazeera",), document_id=1, outlet="Al Jazeera", published=date(2022, 1, 22),
          period=Period(date(2022, 1, 20), date(2022, 1, 22)), quote="45 fighters from the “Islamic State” organization",
          quote_verified=True, credibility=2),
    # Local sources, via Al Jazeera, via a wire service nobody registered.
    Claim(13, EVENT, "killed", Quantity("more than 70", 71, None, "lower-bound"), "local sources",
          via=("Reuters", "Al Jazeera"), document_id=1),
    # SOHR in its own release: a primary source.
    Claim(14, EVENT, "killed", Quantity("28", 28, 28, "exact", 28), "SOHR", group="sdf", document_id=2),
    # A claim with no document.
    Claim(15, EVENT, "arrested", Quantity("hundreds", 200, None, "vague"), "Syrian Democratic Forces"),
]
DERIVED = [{"id": "derived:killed-total", "parts": [12, 14], "said_by": None, "value": {"text": "73", "low": 73, "high": 73, "kind": "exact", "best": 73}, "metric": "killed"}]
REVISIONS = [
    {"claim_id": 12, "seq": 7, "old_value": {"text": "40", "low": 40, "high": 40, "kind": "exact", "best": 40}},
    {"claim_id": 12, "seq": 3, "old_value": {"text": "30", "low": 30, "high": 30, "kind": "exact", "best": 30}, "reason": "typo"},
]

RELATION_ENDS = {
    "wasAttributedTo": (("prov:entity", "entity"), ("prov:agent", "agent")),
    "wasDerivedFrom": (("prov:generatedEntity", "entity"), ("prov:usedEntity", "entity")),
    "actedOnBehalfOf": (("prov:delegate", "agent"), ("prov:responsible", "agent")),
}


def export():
    return to_prov_json(SOURCES, DOCUMENTS, CLAIMS, DERIVED, REVISIONS)


def relations(doc, section, subtype=None):
    out = []
    for rel in doc.get(section, {}).values():
        t = rel.get("prov:type", {}).get("$") if isinstance(rel.get("prov:type"), dict) else None
        if subtype is None or t == subtype:
            out.append(rel)
    return out


def pairs(doc, section, a, b, subtype=None):
    return {(r[a], r[b]) for r in relations(doc, section, subtype)}


def test_top_level_structure_and_prefixes():
    doc = export()
    assert doc["prefix"]["ledger"] == "urn:ledger:"
    assert doc["prefix"]["schema"] == "https://schema.org/"
    assert "prov" not in doc["prefix"] and "xsd" not in doc["prefix"]  # predeclared
    assert set(doc) <= {"prefix", "entity", "agent", "wasAttributedTo", "wasDerivedFrom", "actedOnBehalfOf"}
    for cid in (12, 13, 14, 15):
        assert f"ledger:claim/{cid}" in doc["entity"]
    assert {"ledger:document/1", "ledger:document/2"} <= set(doc["entity"])
    assert {f"ledger:source/{i}" for i in range(1, 6)} <= set(doc["agent"])


def test_agents_carry_kind_grade_and_prov_type():
    agents = export()["agent"]
    sohr = agents["ledger:source/2"]
    assert sohr["ledger:kind"] == "ngo"
    assert sohr["ledger:grade"] == "B"
    assert sohr["prov:label"] == "Syrian Observatory for Human Rights"
    assert {t["$"] for t in sohr["prov:type"]} == {"prov:Organization", "schema:NGO"}
    assert {t["$"] for t in agents["ledger:source/4"]["prov:type"]} == {"prov:Person", "schema:Person"}
    assert agents["ledger:source/5"]["prov:type"] == {"$": "prov:Agent", "type": "xsd:QName"}
    assert "ledger:grade" not in agents["ledger:source/3"]  # no nulls in PROV


def test_claims_attributed_to_origin_and_relays_quote_in_order():
    doc = export()
    attributed = pairs(doc, "wasAttributedTo", "prov:entity", "prov:agent")
    assert ("ledger:claim/12", "ledger:source/2") in attributed
    assert ("ledger:claim/12/via/1", "ledger:source/1") in attributed
    assert ("ledger:claim/14", "ledger:source/2") in attributed  # alias "SOHR" resolves
    quoted = pairs(doc, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity", "prov:Quotation")
    assert ("ledger:claim/12/via/1", "ledger:claim/12") in quoted
    # 13: local sources -> Reuters -> Al Jazeera
    assert ("ledger:claim/13/via/1", "ledger:claim/13") in quoted
    assert ("ledger:claim/13/via/2", "ledger:claim/13/via/1") in quoted
    assert ("ledger:claim/13/via/2", "ledger:source/1") in attributed
    reuters = [aid for aid, a in doc["agent"].items() if a.get("prov:label") == "Reuters"]
    assert reuters == ["ledger:agent/Reuters"]
    assert ("ledger:claim/13/via/1", "ledger:agent/Reuters") in attributed


def test_claims_derived_from_documents_primary_only_when_origin_published():
    doc = export()
    derived = pairs(doc, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity")
    assert ("ledger:claim/12", "ledger:document/1") in derived
    assert ("ledger:claim/13", "ledger:document/1") in derived
    primary = pairs(doc, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity", "prov:PrimarySource")
    assert primary == {("ledger:claim/14", "ledger:document/2")}
    assert not any(g == "ledger:claim/15" and u.startswith("ledger:document/") for g, u in derived)


def test_documents_attributed_to_outlets_with_typed_dates():
    doc = export()
    d1 = doc["entity"]["ledger:document/1"]
    assert d1["schema:datePublished"] == {"$": "2022-01-22", "type": "xsd:date"}
    assert d1["schema:url"] == "https://example.org/hasaka"
    attributed = pairs(doc, "wasAttributedTo", "prov:entity", "prov:agent")
    assert ("ledger:document/1", "ledger:source/1") in attributed
    assert ("ledger:document/2", "ledger:source/2") in attributed


def test_claim_entity_attributes():
    c12 = export()["entity"]["ledger:claim/12"]
    assert c12["ledger:value"] == "45"
    assert c12["ledger:valueLow"] == 45 and c12["ledger:valueHigh"] == 45
    assert c12["ledger:periodStart"] == {"$": "2022-01-20", "type": "xsd:date"}
    assert c12["ledger:quoteVerified"] is True
    c13 = export()["entity"]["ledger:claim/13"]
    assert "ledger:valueHigh" not in c13  # unbounded
    assert c13["ledger:valueKind"] == "lower-bound"


def test_affiliation_is_acted_on_behalf_of():
    doc = export()
    assert pairs(doc, "actedOnBehalfOf", "prov:delegate", "prov:responsible") == {("ledger:source/4", "ledger:source/3")}


def test_derived_total_and_revisions():
    doc = export()
    total = doc["entity"]["ledger:derived/killed-total"]
    assert total["ledger:value"] == "73"
    assert total["ledger:metric"] == "killed"
    derived = pairs(doc, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity")
    assert {("ledger:derived/killed-total", "ledger:claim/12"), ("ledger:derived/killed-total", "ledger:claim/14")} <= derived
    revised = pairs(doc, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity", "prov:Revision")
    assert revised == {
        ("ledger:claim/12/before/7", "ledger:claim/12/before/3"),
        ("ledger:claim/12", "ledger:claim/12/before/7"),
    }
    assert doc["entity"]["ledger:claim/12/before/3"]["ledger:value"] == "30"
    reasons = [r.get("ledger:reason") for r in relations(doc, "wasDerivedFrom", "prov:Revision")]
    assert "typo" in reasons


def test_every_referenced_id_is_declared_and_relation_ids_unique():
    doc = export()
    seen = set()
    for section, ends in RELATION_ENDS.items():
        for rid, rel in doc.get(section, {}).items():
            assert rid.startswith("_:")
            assert rid not in seen
            seen.add(rid)
            for attr, kind in ends:
                assert rel[attr] in doc[kind], f"{section} {rid}: {rel[attr]} not among {kind}"
    assert not set(doc["entity"]) & set(doc["agent"])


def test_unknown_parts_and_documents_get_declared_entities():
    claim = Claim(20, EVENT, "killed", Quantity("5", 5, 5, "exact", 5), "nobody known", document_id=99, outlet="Unknown Wire")
    doc = to_prov_json([], [], [claim], [{"id": "derived:x", "parts": [20, 21], "said_by": "ledger"}], [])
    assert "ledger:document/99" in doc["entity"]
    assert "ledger:claim/21" in doc["entity"]
    assert "ledger:agent/nobody%20known" in doc["agent"]
    for section, ends in RELATION_ENDS.items():
        for rel in doc.get(section, {}).values():
            for attr, kind in ends:
                assert rel[attr] in doc[kind]


def test_json_round_trip():
    doc = export()
    text = json.dumps(doc, ensure_ascii=False)
    assert json.loads(text) == doc


def test_empty_export_is_valid():
    doc = to_prov_json([], [], [])
    assert json.loads(json.dumps(doc)) == {"prefix": {"ledger": "urn:ledger:", "schema": "https://schema.org/"}}
