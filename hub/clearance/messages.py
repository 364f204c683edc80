"""English source texts of compliance explanations, keyed by the rule table's message ids.

Each text is marked with `N_` for the `clearance` catalogs (`python -m hub.core.message_catalogs update clearance`);
the translation happens later, in `explain`, through the caller's gettext-style function. Placeholders use
str.format names.
"""

from __future__ import annotations

from hub.core.translations import N_

MESSAGES: dict[str, str] = {
    # outcomes
    "outcome.prohibited": N_("Prohibited: this item may not make this crossing."),
    "outcome.licence_required": N_("Allowed only with the documents listed below."),
    "outcome.allowed": N_("Allowed: no rule in force restricts this crossing."),
    # China, exit
    "rule.cn_exit_1911": N_("Relics made in or before 1911 may not leave China."),
    "rule.cn_exit_1949": N_(
        "Relics made in or before 1949 with historical, artistic or scientific value may not, in principle, "
        "leave China."
    ),
    "rule.cn_exit_1966_minority": N_(
        "Representative relics of China's ethnic minorities made in or before 1966 may not leave China."
    ),
    "rule.cn_exit_graded": N_("Precious relics of grades 1, 2 and 3 may not leave China."),
    "rule.cn_exit_listed_artist": N_("Works by this artist, listed by SACH in 2023, may not leave China."),
    "rule.cn_exit_listed_artist_representative": N_(
        "Representative works of artists listed by SACH in 2023 may not leave China."
    ),
    "rule.cn_exit_state_owned": N_("State-owned relics may not leave China."),
    "rule.cn_exit_exhibition_ban": N_(
        "This relic may not leave China even for an exhibition: it is unique or fragile, or on SACH's list of "
        "relics banned from exhibition abroad."
    ),
    "rule.cn_exit_permit": N_(
        "Every cultural relic leaving China needs an exit examination and an exit permit, and leaves through a "
        "designated port."
    ),
    "rule.cn_exit_exhibition_approval": N_("An exhibition loan from China needs the approval of SACH."),
    # European Union, import
    "rule.eu_import_breach": N_(
        "Goods removed from their country of creation or discovery in breach of its laws may not enter the EU."
    ),
    "rule.eu_import_b_licence": N_(
        "Archaeological objects and elements of dismembered monuments more than 250 years old need an EU import "
        "licence."
    ),
    "rule.eu_import_c_statement": N_(
        "Cultural goods more than 200 years old and worth EUR 18,000 or more need an importer statement."
    ),
    # European Union, export
    "rule.eu_export_a1": N_(
        "Archaeological objects more than 100 years old need an EU export licence, whatever their value."
    ),
    "rule.eu_export_a2": N_(
        "Elements of dismembered monuments more than 100 years old need an EU export licence, whatever their value."
    ),
    "rule.eu_export_a3": N_("Paintings by hand worth EUR 150,000 or more need an EU export licence."),
    "rule.eu_export_a4": N_("Watercolours, gouaches and pastels worth EUR 30,000 or more need an EU export licence."),
    "rule.eu_export_a5": N_("Mosaics and drawings worth EUR 15,000 or more need an EU export licence."),
    "rule.eu_export_a6": N_(
        "Original engravings, prints and lithographs worth EUR 15,000 or more need an EU export licence."
    ),
    "rule.eu_export_a7": N_("Original sculpture worth EUR 50,000 or more needs an EU export licence."),
    "rule.eu_export_a8": N_("Photographs worth EUR 15,000 or more need an EU export licence."),
    "rule.eu_export_a9": N_("Incunabula and manuscripts need an EU export licence, whatever their value."),
    "rule.eu_export_a10": N_("Books more than 100 years old worth EUR 50,000 or more need an EU export licence."),
    "rule.eu_export_a11": N_(
        "Printed maps more than 200 years old worth EUR 15,000 or more need an EU export licence."
    ),
    "rule.eu_export_a12": N_("Archives more than 50 years old need an EU export licence, whatever their value."),
    "rule.eu_export_a13": N_("Collections worth EUR 50,000 or more need an EU export licence."),
    "rule.eu_export_a14": N_(
        "Means of transport more than 75 years old worth EUR 50,000 or more need an EU export licence."
    ),
    "rule.eu_export_a15": N_("Antiques worth EUR 50,000 or more need an EU export licence."),
    # United States, import
    "rule.us_cpia_archaeological": N_(
        "Archaeological material of China up to the end of the Tang (AD 907) enters the United States only with a "
        "Chinese export permit or proof that it left China before the restriction."
    ),
    "rule.us_cpia_monumental": N_(
        "Chinese monumental sculpture and wall art at least 250 years old (as of 2009) enters the United States "
        "only with a Chinese export permit or proof that it left China before the restriction."
    ),
    # CITES
    "rule.cites_i_export": N_("Material from a CITES Appendix I species needs a CITES export permit."),
    "rule.cites_i_import": N_("Material from a CITES Appendix I species needs a CITES import permit."),
    "rule.cites_ii_export": N_("Material from a CITES Appendix II species needs a CITES export permit."),
    # exceptions
    "exception.cn_exhibition_loan": N_(
        "As a temporary exhibition abroad it may leave China with the approval of SACH (of the State Council for "
        "grade-1 relics above its quota)."
    ),
    "exception.eu_museum_loan": N_(
        "As a museum loan temporarily admitted for public exhibition it needs no import licence or importer statement."
    ),
    "exception.us_immune_loan": N_(
        "As an exhibition loan immune from seizure it is exempt from the import restriction."
    ),
    "exception.cites_pre_convention": N_(
        "As a pre-Convention specimen it needs a pre-Convention certificate instead of permits."
    ),
    # documents
    "document.prc_exit_permit": N_("Chinese cultural relic exit permit"),
    "document.prc_exhibition_approval": N_("SACH (or State Council) approval of the exhibition abroad"),
    "document.eu_import_licence": N_("EU import licence for cultural goods"),
    "document.eu_importer_statement": N_("EU importer statement for cultural goods"),
    "document.eu_export_licence": N_("EU export licence for cultural goods"),
    "document.us_cpia_documentation": N_(
        "Chinese export permit, or proof that the item left China before the US import restriction"
    ),
    "document.cites_export_permit": N_("CITES export permit"),
    "document.cites_import_permit": N_("CITES import permit"),
    "document.cites_pre_convention_certificate": N_("CITES pre-Convention certificate"),
    # HS codes
    "hs.numismatic_old": N_("Collectors' piece of numismatic interest, more than 100 years old."),
    "hs.numismatic": N_("Collectors' piece of numismatic interest."),
    "hs.archaeological": N_("Collectors' piece of archaeological interest."),
    "hs.mosaic": N_("Mosaic."),
    "hs.print": N_("Original print taken by hand from the carved original (engravings, prints, rubbings)."),
    "hs.photograph": N_("Photograph."),
    "hs.painting": N_("Painting, drawing or pastel executed entirely by hand."),
    "hs.sculpture": N_("Original sculpture or statuary."),
    "hs.antique": N_("Antique more than 100 years old not covered by another heading of chapter 97."),
    "hs.book": N_("Printed book."),
    "hs.manuscript": N_("Hand-written text."),
    "hs.map": N_("Printed map."),
    "hs.ceramic": N_("Ornamental ceramic article, classified by its material outside chapter 97."),
    "hs.jade": N_("Article of precious or semi-precious stone, classified by its material outside chapter 97."),
    "hs.precious_metal": N_("Silversmiths' or goldsmiths' ware, classified by its material outside chapter 97."),
    "hs.base_metal": N_("Ornament of base metal, classified by its material outside chapter 97."),
    "hs.stone": N_("Worked monumental stone, classified by its material outside chapter 97."),
    "hs.none": N_("No heading suggested: classify by material."),
    # explanation templates
    "explain.rule": N_("{message} ({instrument}; {article})"),
    "explain.exception": N_("{message} ({article})"),
    "explain.assumed": N_("Assumed, because these facts are not known: {facts}."),
    "explain.document": N_("{document}: issued by {issuer}, presented to {presented_to}."),
    "explain.missing": N_("Not known: {fact}. Affects {rules}; the stricter case was assumed."),
    "explain.hs_code": N_("Suggested HS code {code}: {reason}"),
    "explain.hs_uncertain": N_("Depends on: {facts}."),
    "issuer.importer": N_("the importer"),
    # facts the engine may miss
    "fact.year": N_("the year it was made"),
    "fact.material": N_("its material"),
    "fact.relic_grade": N_("its relic grade"),
    "fact.value_eur": N_("its value in EUR"),
    "flag.historical_value": N_("whether it has historical, artistic or scientific value"),
    "flag.ethnic_minority_representative": N_("whether it is a representative relic of an ethnic minority"),
    "flag.archaeological": N_("whether it comes from excavations or archaeological finds"),
    "flag.monumental": N_("whether it is monumental sculpture or wall art"),
    "flag.monument_element": N_("whether it is an element of a dismembered monument"),
    "flag.exported_in_breach": N_("whether it left its country of origin in breach of its laws"),
    "flag.listed_artist_all_works": N_("whether its artist is listed by SACH (all works)"),
    "flag.listed_artist_representative_work": N_("whether it is a representative work of an artist listed by SACH"),
    "flag.state_owned": N_("whether it is state-owned"),
    "flag.export_restricted": N_("whether it is banned from exhibition abroad"),
    "flag.unique_or_fragile": N_("whether it is unique or fragile"),
    "flag.owned_by_creator": N_("whether it still belongs to its creator"),
    "flag.archive": N_("whether it is an archive"),
    "flag.collection": N_("whether it is a collection"),
    "flag.means_of_transport": N_("whether it is a means of transport"),
    "flag.immune_from_seizure": N_("whether it is immune from seizure in the United States"),
    "flag.pre_convention": N_("whether it was acquired before CITES applied to its species"),
}
