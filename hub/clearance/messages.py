"""English source texts of compliance explanations, keyed by the rule table's message ids.

Each text is marked with `_` so that `pybabel extract` finds it; the translation happens later, in
`explain`, through the caller's gettext-style function. Placeholders use str.format names.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Marks a text for extraction; returns it unchanged."""
    return message


MESSAGES: dict[str, str] = {
    # outcomes
    "outcome.prohibited": _("Prohibited: this item may not make this crossing."),
    "outcome.licence_required": _("Allowed only with the documents listed below."),
    "outcome.allowed": _("Allowed: no rule in force restricts this crossing."),
    # China, exit
    "rule.cn_exit_1911": _("Relics made in or before 1911 may not leave China."),
    "rule.cn_exit_1949": _(
        "Relics made in or before 1949 with historical, artistic or scientific value may not, in principle, "
        "leave China."
    ),
    "rule.cn_exit_1966_minority": _(
        "Representative relics of China's ethnic minorities made in or before 1966 may not leave China."
    ),
    "rule.cn_exit_graded": _("Precious relics of grades 1, 2 and 3 may not leave China."),
    "rule.cn_exit_listed_artist": _("Works by this artist, listed by SACH in 2023, may not leave China."),
    "rule.cn_exit_listed_artist_representative": _(
        "Representative works of artists listed by SACH in 2023 may not leave China."
    ),
    "rule.cn_exit_state_owned": _("State-owned relics may not leave China."),
    "rule.cn_exit_exhibition_ban": _(
        "This relic may not leave China even for an exhibition: it is unique or fragile, or on SACH's list of "
        "relics banned from exhibition abroad."
    ),
    "rule.cn_exit_permit": _(
        "Every cultural relic leaving China needs an exit examination and an exit permit, and leaves through a "
        "designated port."
    ),
    "rule.cn_exit_exhibition_approval": _("An exhibition loan from China needs the approval of SACH."),
    # European Union, import
    "rule.eu_import_breach": _(
        "Goods removed from their country of creation or discovery in breach of its laws may not enter the EU."
    ),
    "rule.eu_import_b_licence": _(
        "Archaeological objects and elements of dismembered monuments more than 250 years old need an EU import "
        "licence."
    ),
    "rule.eu_import_c_statement": _(
        "Cultural goods more than 200 years old and worth EUR 18,000 or more need an importer statement."
    ),
    # European Union, export
    "rule.eu_export_a1": _(
        "Archaeological objects more than 100 years old need an EU export licence, whatever their value."
    ),
    "rule.eu_export_a2": _(
        "Elements of dismembered monuments more than 100 years old need an EU export licence, whatever their value."
    ),
    "rule.eu_export_a3": _("Paintings by hand worth EUR 150,000 or more need an EU export licence."),
    "rule.eu_export_a4": _("Watercolours, gouaches and pastels worth EUR 30,000 or more need an EU export licence."),
    "rule.eu_export_a5": _("Mosaics and drawings worth EUR 15,000 or more need an EU export licence."),
    "rule.eu_export_a6": _(
        "Original engravings, prints and lithographs worth EUR 15,000 or more need an EU export licence."
    ),
    "rule.eu_export_a7": _("Original sculpture worth EUR 50,000 or more needs an EU export licence."),
    "rule.eu_export_a8": _("Photographs worth EUR 15,000 or more need an EU export licence."),
    "rule.eu_export_a9": _("Incunabula and manuscripts need an EU export licence, whatever their value."),
    "rule.eu_export_a10": _("Books more than 100 years old worth EUR 50,000 or more need an EU export licence."),
    "rule.eu_export_a11": _("Printed maps more than 200 years old worth EUR 15,000 or more need an EU export licence."),
    "rule.eu_export_a12": _("Archives more than 50 years old need an EU export licence, whatever their value."),
    "rule.eu_export_a13": _("Collections worth EUR 50,000 or more need an EU export licence."),
    "rule.eu_export_a14": _(
        "Means of transport more than 75 years old worth EUR 50,000 or more need an EU export licence."
    ),
    "rule.eu_export_a15": _("Antiques worth EUR 50,000 or more need an EU export licence."),
    # United States, import
    "rule.us_cpia_archaeological": _(
        "Archaeological material of China up to the end of the Tang (AD 907) enters the United States only with a "
        "Chinese export permit or proof that it left China before the restriction."
    ),
    "rule.us_cpia_monumental": _(
        "Chinese monumental sculpture and wall art at least 250 years old (as of 2009) enters the United States "
        "only with a Chinese export permit or proof that it left China before the restriction."
    ),
    # CITES
    "rule.cites_i_export": _("Material from a CITES Appendix I species needs a CITES export permit."),
    "rule.cites_i_import": _("Material from a CITES Appendix I species needs a CITES import permit."),
    "rule.cites_ii_export": _("Material from a CITES Appendix II species needs a CITES export permit."),
    # exceptions
    "exception.cn_exhibition_loan": _(
        "As a temporary exhibition abroad it may leave China with the approval of SACH (of the State Council for "
        "grade-1 relics above its quota)."
    ),
    "exception.eu_museum_loan": _(
        "As a museum loan temporarily admitted for public exhibition it needs no import licence or importer statement."
    ),
    "exception.us_immune_loan": _(
        "As an exhibition loan immune from seizure it is exempt from the import restriction."
    ),
    "exception.cites_pre_convention": _(
        "As a pre-Convention specimen it needs a pre-Convention certificate instead of permits."
    ),
    # documents
    "document.prc_exit_permit": _("Chinese cultural relic exit permit"),
    "document.prc_exhibition_approval": _("SACH (or State Council) approval of the exhibition abroad"),
    "document.eu_import_licence": _("EU import licence for cultural goods"),
    "document.eu_importer_statement": _("EU importer statement for cultural goods"),
    "document.eu_export_licence": _("EU export licence for cultural goods"),
    "document.us_cpia_documentation": _(
        "Chinese export permit, or proof that the item left China before the US import restriction"
    ),
    "document.cites_export_permit": _("CITES export permit"),
    "document.cites_import_permit": _("CITES import permit"),
    "document.cites_pre_convention_certificate": _("CITES pre-Convention certificate"),
    # HS codes
    "hs.numismatic_old": _("Collectors' piece of numismatic interest, more than 100 years old."),
    "hs.numismatic": _("Collectors' piece of numismatic interest."),
    "hs.archaeological": _("Collectors' piece of archaeological interest."),
    "hs.mosaic": _("Mosaic."),
    "hs.print": _("Original print taken by hand from the carved original (engravings, prints, rubbings)."),
    "hs.photograph": _("Photograph."),
    "hs.painting": _("Painting, drawing or pastel executed entirely by hand."),
    "hs.sculpture": _("Original sculpture or statuary."),
    "hs.antique": _("Antique more than 100 years old not covered by another heading of chapter 97."),
    "hs.book": _("Printed book."),
    "hs.manuscript": _("Hand-written text."),
    "hs.map": _("Printed map."),
    "hs.ceramic": _("Ornamental ceramic article, classified by its material outside chapter 97."),
    "hs.jade": _("Article of precious or semi-precious stone, classified by its material outside chapter 97."),
    "hs.precious_metal": _("Silversmiths' or goldsmiths' ware, classified by its material outside chapter 97."),
    "hs.base_metal": _("Ornament of base metal, classified by its material outside chapter 97."),
    "hs.stone": _("Worked monumental stone, classified by its material outside chapter 97."),
    "hs.none": _("No heading suggested: classify by material."),
    # explanation templates
    "explain.rule": _("{message} ({instrument}; {article})"),
    "explain.exception": _("{message} ({article})"),
    "explain.assumed": _("Assumed, because these facts are not known: {facts}."),
    "explain.document": _("{document}: issued by {issuer}, presented to {presented_to}."),
    "explain.missing": _("Not known: {fact}. Affects {rules}; the stricter case was assumed."),
    "explain.hs_code": _("Suggested HS code {code}: {reason}"),
    "explain.hs_uncertain": _("Depends on: {facts}."),
    "issuer.importer": _("the importer"),
    # facts the engine may miss
    "fact.year": _("the year it was made"),
    "fact.material": _("its material"),
    "fact.relic_grade": _("its relic grade"),
    "fact.value_eur": _("its value in EUR"),
    "flag.historical_value": _("whether it has historical, artistic or scientific value"),
    "flag.ethnic_minority_representative": _("whether it is a representative relic of an ethnic minority"),
    "flag.archaeological": _("whether it comes from excavations or archaeological finds"),
    "flag.monumental": _("whether it is monumental sculpture or wall art"),
    "flag.monument_element": _("whether it is an element of a dismembered monument"),
    "flag.exported_in_breach": _("whether it left its country of origin in breach of its laws"),
    "flag.listed_artist_all_works": _("whether its artist is listed by SACH (all works)"),
    "flag.listed_artist_representative_work": _("whether it is a representative work of an artist listed by SACH"),
    "flag.state_owned": _("whether it is state-owned"),
    "flag.export_restricted": _("whether it is banned from exhibition abroad"),
    "flag.unique_or_fragile": _("whether it is unique or fragile"),
    "flag.owned_by_creator": _("whether it still belongs to its creator"),
    "flag.archive": _("whether it is an archive"),
    "flag.collection": _("whether it is a collection"),
    "flag.means_of_transport": _("whether it is a means of transport"),
    "flag.immune_from_seizure": _("whether it is immune from seizure in the United States"),
    "flag.pre_convention": _("whether it was acquired before CITES applied to its species"),
}
