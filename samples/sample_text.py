"""Text of the bundled sample source, used by ``make_sample.py`` and ``check_sample.py``.

Two kinds of text live here:

* the RELEASED passages: every sentence that the public extract 16014/12 ADD 1 REV 2 EXT 1
  shows, verbatim (markdown of the public text removed), grouped per annex;
* the INVENTED vocabulary and sentence templates from which every withheld passage of the
  sample is generated. Every name in it is made up; none of it appears in the released text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

# --------------------------------------------------------------------------------------
# Released text (verbatim from the public extract)
# --------------------------------------------------------------------------------------

DOC_NUMBER = "16014/12 ADD 1 REV 2"
MARKING = "RESTREINT UE/EU RESTRICTED"

COVER_ISSUER = ("COUNCIL OF", "THE EUROPEAN UNION")
COVER_DATE = "Brussels, 23 November 2012"
COVER_LABEL = "ANNEX"
COVER_CODES = (
    "JAI 778",
    "COSI 107",
    "ENFOPOL 361",
    "CRIMORG 130",
    "ENFOCUSTOM 116",
    "CORDROGUE 82",
    "PESC 1363",
    "RELEX 1021",
    "COAFR 351",
    "COWEB 179",
    "TRANS 387",
    "UD 271",
    "FRONT 158",
    "GENVAL 83",
)
COVER_TYPE = "NOTE"
COVER_FROM = "From : Presidency"
COVER_TO = "To : JHA Counsellors / COSI Support Group"
COVER_TO_2 = "Standing Committee on operational co-operation on internal security (COSI)"
COVER_PREV = "No. prev. doc. : 17796/1/11 REV 1 JAI 895 COSI 103"
COVER_SUBJECT = "Subject : EU Policy Cycle: Implementation Monitoring"
COVER_PARAGRAPHS = (
    "Delegations will find attached the half year monitoring reports of the eight EMPACT "
    "Operational Action Plans for the second half of 2012.",
    "The information for the reports was collected by mid-October and aligned by the EMPACT "
    "Support Unit at Europol in accordance with the EMPACT reporting collection mechanism.",
    "Following the presentation of the reports to the National EMPACT Coordinators at their "
    "meeting at Europol on 23\u201324 October 2012, the documents have been updated according to "
    "comments resulting from the meeting, and have been standardised for the purpose of "
    "submitting them to COSI.",
    "This revised version includes amendments received at the after the COSI Support Group "
    "meeting of 14 November 2012.",
)
# (label, title with the leader dots as printed, page)
ANNEX_LIST = (
    ("ANNEX 1", "West Africa.....", 3),
    ("ANNEX 2", "Western Balkans.....", 14),
    ("ANNEX 3", "Illegal Immigration.....", 37),
    ("ANNEX 4", "Synthetic Drugs.....", 59),
    ("ANNEX 5", "Container smuggling.....", 72),
    ("ANNEX 6", "Trafficking in Human Beings.....", 77),
    ("ANNEX 7", "MOCG.....", 91),
    ("ANNEX 8", "Cybercrime.....", 106),
)

# Priority statements: (prefix up to the opening bracket, project name, statement).
# Printed as  prefix + name + "): " + statement.
PRIORITY = {
    1: (
        "EU crime priority A (",
        "Empact West Africa",
        "\u201cWeaken the capacity of organised crime groups active or based in West Africa to "
        "traffic cocaine and heroin to and within the EU\u201d.",
    ),
    2: (
        "EU crime priority B (",
        "Empact Western Balkans",
        "\u201cMitigate the role of the Western Balkans, as a key transit and storage zone for "
        "illicit commodities destined for the EU and logistical centre for organised crime "
        "groups, including Albanian-speaking organised crime groups\u201d.",
    ),
    3: (
        "EU crime priority C (",
        "Empact Illegal Immigration",
        "\u201cWeaken the capacity of organised crime groups to facilitate illegal immigration to "
        "the EU, particularly via southern, south-eastern and eastern Europe and notably at the "
        "Greek-Turkish border and in crisis areas of the Mediterranean close to North Africa",
    ),
    4: (
        "EU crime priority D (",
        "Empact Synthetic Drugs",
        "\u201cReduce the production and distribution in the EU of synthetic drugs, including new "
        "psychoactive substances\u201d.",
    ),
    5: (
        "EU Crime Priority E (",
        "Empact container smuggling",
        "\u201cDisrupt the trafficking to the EU, particularly in container form, of illicit "
        "commodities, including cocaine, heroin, cannabis, counterfeit goods and cigarettes\u201d.",
    ),
    6: (
        "EU crime priority F (",
        "Empact Trafficking in Human Beings",
        "\u201cCombat against all forms of trafficking in human beings and human smuggling by "
        "targeting the organised crime groups conducting such criminal activities in particular "
        "at the southern, south-western and south-eastern criminal hubs in the EU\u201d.",
    ),
    7: (
        "EU crime priority G (",
        "Empact MOCG",
        "Reduce the general capabilities of mobile (itinerant) organised crime groups to engage "
        'in criminal activities".',
    ),
    8: (
        "EU crime priority H (",
        "Empact Cybercrime",
        "\u201cStep up the fight against cybercrime and the criminal misuse of the internet by "
        "organised crime groups\u201d.",
    ),
}

DRIVERS = {
    1: ("Driver: UK", "Co-driver: FR"),
    2: ("Driver: IT", "Co-driver: AT and HU"),
    3: ("Driver: IT", "Co-driver: Frontex"),
    4: ("Driver: PL", "Co-driver: NL"),
    5: ("Driver: FR", "Co-driver: NL"),
    6: ("Driver: UK", "Co-driver: NL"),
    7: ("Driver: BE", "Co-driver: FR"),
    8: ("Driver: RO", "Co-driver: None"),
}

DRIVERS_REPORT = "Drivers Report October 2012"

# --- Annex 1: West Africa --------------------------------------------------------------
A1_EMPACT = (
    "The EMPACT Project on West Africa was initiated in January 2012 and has worked to the "
    "Operational Action Plan and against the Strategic Goals set by COSI."
)
A1_PLETHORA = (
    "There is a plethora of actors, activity, initiatives and multilateral platforms with West "
    "Africa as a nexus. The focus of EMPACT West Africa activity has been to engage, de-conflict "
    "and form collaborative relationships with existing mechanisms."
)
A1_FUTURE = "The Future"
A1_DRAFT_OAP = (
    "The draft OAP 2013 has sought to generate greater throughput and energise activity to "
    "better inform a more healthy return for investment. It focuses on the gaps and tries to "
    "provide some realistic returns."
)
# Table on pages 7-13: (label printed in bold, statement)
A1_GOALS = (
    (
        "Strategic Goal 1:",
        "Ensure all Member States and EU Agencies pro-actively contribute to strategic and "
        "operational analyses, to deliver the most comprehensive and accurate picture of drug "
        "trafficking impacting on the EU and emanating from West Africa.",
    ),
    (
        "Strategic Goal 2:",
        "Improve the effectiveness of Member States' Liaison Officers coverage of West Africa, in "
        "close cooperation with EU Agencies and international stakeholders and if relevant, "
        "establish cooperation agreements with West African partners, source and other relevant "
        "countries.",
    ),
    (
        "Strategic Goal 3:",
        "Building on existing mechanisms, develop a single system to coordinate the activities of "
        "the EU, Member States and where possible, other relevant international stakeholders "
        "(e.g. UN, Interpol, WCO, ECOWAS and USA) regarding assistance in West Africa, with a view "
        "to emphasising operational outputs.",
    ),
    (
        "Strategic Goal 4:",
        "Further identify border hot spots where particular efforts should be invested, notably "
        "through adequate detection equipment and training.",
    ),
    (
        "Strategic Goal 5:",
        "Increase the number of joint operations, investigations and prosecutions focused on "
        "organised crime groups active in West Africa and within the EU. Make use of innovative, "
        "multidisciplinary and proactive approaches to investigate and prosecute cases of drug "
        "trafficking, including systematic use of financial investigations, with a particular "
        "emphasis on money laundering and asset recovery.",
    ),
    (
        "Strategic Goal 6 :",
        "Further support Western African countries in crime prevention activities in their fight "
        "against organised crime and corruption, through relevant training and development of "
        "justice and law enforcement ethics, which are compatible with EU standards.",
    ),
)

# --- Annex 2: Western Balkans ----------------------------------------------------------
A2_DURING = (
    "During the reporting period out of the 14 activities listed in the Operational Action Plan "
    "2012 of the EMPACT WB:"
)
A2_BULLETS = (
    '8 activities reached the status of "Finished";',
    '1 reached the status of "Finished-on-time";',
    '2 reached the status of "not achieved";',
    '2 "ongoing"',
)
A2_AMONG = (
    'Among the eight activities which reached the status of "Finished" there are no significant '
    "specific problematic issues to report. The activity leaders played their role according to "
    "the time schedule agreed. Targets set were in general reached. These activities can be "
    "considered successful."
)
# Table on pages 17-22: the whole goal cell is plain text.
A2_GOALS = (
    "Strategic Goal 1: To encourage MS and relevant third parties to proactively share in timely "
    "manner, information and intelligence related to Western Balkans organized crime "
    "investigations, with a view of enhancing Europol's analytical capacity thereby benefiting "
    "law enforcement activities.",
    "Strategic Goal 2: To increase the number of joint operations, investigations and "
    "prosecutions, conducted by MS and relevant third parties, supported by EU Agencies, focused "
    "on Western Balkans organized crime network.",
    "Strategic Goal 3: To improve coordination of Organized Crime-related financial and technical "
    "assistance in the Western Balkans, with a view to enhancing the effectiveness and "
    "sustainability of activities in this area.",
    "Strategic Goal 4: To ensure that Western Balkan organised crime related investigations and "
    "prosecutions seek to disrupt criminal money flows and remove criminal wealth.",
    "Strategic Goal 5: To identify and target for joint law enforcement activity those points on "
    "the EU external borders exploited by Western Balkans organised crime groups using IBM "
    "strategies to best effect.",
    "Strategic Goal 6: Continue to support Western Balkans countries in their fight against "
    "corruption including inter alia prevention activities",
    "Strategic Goal 7: To improve the operational tools and legal standards used by Western "
    "Balkan countries in the conduct of complex organized crime and corruption investigations "
    "and prosecutions. This would include inter alia the transfer of recognized EU best "
    "practice.",
)

# --- Annex 3: Illegal immigration ------------------------------------------------------
# (heading, quoted statement, number of withheld paragraphs that follow in the extract)
A3_GOALS = (
    (
        "Strategic Goal n.1:",
        "\u201cTo maintain a comprehensive intelligence picture, at national and EU level through "
        "MS and EU Agency collaboration (in particular Europol and Frontex), including a common "
        "integrated risk analysis, on organized crime groups and the routes/modus operandi used "
        "by them for facilitating illegal immigration at the external borders and within the EU "
        "territory\u201d",
        1,
    ),
    (
        "Strategic Goal n. 2:",
        "\u201cTo use the intelligence picture and risk analysis for more effective and "
        "cost-efficient border control, investigation and prosecution at the external borders "
        "and within the EU territory\u201d.",
        2,
    ),
    (
        "Strategic Goal n. 3:",
        "\u201cTo enhance the measures to tackle smuggling of minors including implementing the EU "
        "action plan on unaccompanied minors and the cooperation with third countries\u201d.",
        3,
    ),
    (
        "Strategic Goal n. 4:",
        "\u201cTo improve the effectiveness of inter-agency cooperation at EU, bilateral and "
        "national level including by enhancing vertical and horizontal information "
        "exchange\u201d.",
        2,
    ),
    (
        "Strategic Goal n. 5",
        "\u201cTo make full use of innovative and efficient administrative procedures to disrupt "
        "organised crime groups/facilitators that abuse vulnerabilities and legal proceedings "
        "for their criminal activities\u201d.",
        2,
    ),
    (
        "Strategic Goal 6:",
        "\u201cTo enhance cooperation at bilateral and European level with third countries in "
        "particular with relevant illegal immigration source and transit countries\u201d.",
        3,
    ),
    (
        "Strategic Goal 7",
        "\u201cTo contribute to and make full use of the existing and future EU tools in the "
        "fields of external border management, immigration and law enforcement such as EU "
        "databases, networks, information exchange systems and funding programmes\u201d.",
        1,
    ),
)

# --- Annex 4: Synthetic drugs ----------------------------------------------------------
A4_BEARING = (
    "Bearing in mind the 2012 OAPs experiences, during the next year the following "
    "recommendations should be taken into consideration:"
)

# --- Annex 5: Container smuggling ------------------------------------------------------
A5_QUOTE = (
    "\u201cDisrupt the trafficking to the EU, particularly in container form, of illicit "
    "commodities, including cocaine, heroin, cannabis, counterfeit goods and cigarettes.\u201d"
)
A5_IN_ORDER = (
    "In order to define the OAPs dedicated to containers for 2012 and 2013, experts from the "
    "Member States met in Brussels in September 2011 in order to establish some strategic goals "
    "serving as basis for the OAPs 2012 and 2013. However, two out of six strategic goals were "
    "not directly addressed through the OAPs for various reasons."
)
A5_SG3 = (
    "Strategic goal 3 : \u201cHave an appropriate level and quality of control equipment for "
    "container traffic across the EU to improve the detection of illicit goods\u201d."
)
A5_APPEARED = (
    "It appeared during the discussions that this strategic goal was already addressed through "
    "other programmes. Given that the OAP participants made a priority of avoiding duplication "
    "and overlaps, this strategic goal was put aside."
)
A5_CUSTOMS = (
    "In the European Union, the knowledge/experience exchange programme Customs 2013/2020 is "
    "developed under the TAXUD responsibility. There are several steering groups such as "
    "electronic customs steering group, training steering group, laboratories steering group "
    "and the working methods steering group within this programme."
)
A5_ALL_THESE = (
    "All these steering groups have contact groups, knowledge groups or working groups on "
    "specific issues."
)
A5_SG4 = (
    "Strategic goal 4 : \u201cCreate a better overall intelligence picture through access to and "
    "exploitation of the existing data bases and information systems including the use of "
    "advanced technologies like data mining\u201d."
)
A5_PARTLY = (
    "This strategic goal is partly addressed through the actions set up under the other "
    "strategic goals, such as the actions 1.3, 2.3 or 5.4 of the OAP containers, that will "
    "provide a better intelligence picture on various topic"
)

# --- Annex 6: Trafficking in human beings ----------------------------------------------
# "1st" is printed with a superscript "st": (before, superscript, after)
A6_OAP = (
    "The OAP regarding the priority area on THB was initiated on 1",
    "st",
    " January 2012 in accordance with Empact cycle. All of its Strategic Goals and actions have "
    "been actioned through the Member States and Agencies and the majority, as per the attached "
    "updated OAP, have been delivered against.",
)

# --- Annex 7: Mobile organised crime groups --------------------------------------------
A7_PROJECT = "Project EMPACT MOCG"
A7_REPORTING = "Reporting to National EMPACT Coordinators"
A7_DATE = "October 8, 2012"
A7_H1 = "1. GENERAL CONTEXT OF THE PROJECT"
A7_CONTEXT = (
    "For a long time, the phenomenon of Mobile Organised Crime Groups (MOCG) was underestimated. "
    "The inclusion of the phenomenon in the EU's policy cycle priorities was appropriate and "
    "overdue considering their impact.",
    "The members of MOCG tend to concentrate on property crime and fraud which were wrongfully "
    'considered to be merely "petty crime" by LEA and policy makers. The impact on society of '
    "MOCG is very important. The damage in terms of the value of the stolen property and illicit "
    "gains from fraud is enormous. When the crimes committed by MOCG are no longer considered "
    "isolated offences but rather series of offences committed by criminal organisations, there "
    "is no denying that MOCG are a real threat to our internal security. There are also other "
    "harms to society to be taken into consideration such as economic losses e.g. delays and "
    "repairs in the railway systems due to metal thefts, feelings of insecurity outside (e.g. "
    "pick pocketing) and inside our homes (e.g. burglaries), etc. Another important aspect is "
    "that these MOCGs use the illegal benefits to fund other types of (serious) organised crime "
    "and to extend their organisation.",
    "When the individual offences like theft, fraud, etc committed by MOCG are thoroughly "
    "investigated, organisations and networks can be uncovered showing that the offences are not "
    "isolated crimes but rather part of a deliberate strategy.",
)
A7_H2 = "2. GOALS OF THE PROJECT"
A7_H21 = "2.1. Basic principles"
A7_FIRST_YEAR = "In the first year the EMPACT MOCG-project is mainly focused on two major issues:"
A7_ISSUES = ("Enhancing the information flux", "Enhancing European collaboration")
A7_H22 = "2.2. Strategic goals"  # followed by the footnote mark "1"
A7_WORKSHOP = (
    "During the MOCG Strategic Goals Workshop of 3-4 Oct 2011 in Brussels these strategic goals "
    "were determined:"
)
A7_GOALS = (
    "Strategic Goal 1: to have property crime committed by mobile (itinerant) organised crime "
    "groups recognised as an important problem at national level and reflected in national "
    "security strategies where relevant to Member States.",
    "Strategic Goal 2: to develop and maintain a comprehensive EU intelligence picture on mobile "
    "(itinerant) organised crime groups as the basis for an intelligence-led policing approach "
    "to tackle crime.",
    "Strategic Goal 3: to have prompt information exchange at the MS level involving all national "
    "law enforcement agencies and at EU level including EU agencies, in order to enhance "
    "detection, investigation and prosecution of mobile (itinerant) organised crime groups.",
    "Strategic Goal 4: to explore, develop and make use of innovative, multi-disciplinary and "
    "pro-active approaches to train, prevent and raise awareness on the activities of mobile "
    "(itinerant) organised crime groups.",
    "Strategic Goal 5: to ensure that mobile (itinerant) crime related investigations and "
    "prosecutions seek to disrupt criminal money flows and remove criminal wealth.",
    "Strategic Goal 6: the establishment, exploration and full use of tools and best practices "
    "to confirm the identity of targets and suspects.",
    "Strategic Goal 7: member States to identify and effectively address vulnerabilities in their "
    "legislation and procedures which are exploited by mobile (itinerant) organised crime groups "
    "to commit crimes.",
)
A7_FOOTNOTE = (
    "ref. document : 15164/1/11 REV 1 JAI 709 COSI 76 ENFOPOL 339 CRIMORG 175",
    "ENFOCUSTOM 114 PESC 1235 RELEX 1004 JAIEX 103",
)
A7_H3 = "3. OPERATIONAL ACTIVITIES \u2013 PROGRESS SEPTEMBER 15, 2012"
A7_MEETING = (
    "During the meeting of 24-26 October 2011, the strategic goals were translated into "
    "operational activities for 2012. The participating countries and agencies decided that in "
    "the first year (2012) 5 of the 7 strategic goals (strategic goals 2, 3, 4, 6 and 7) would be "
    "addressed with specific operational activities. Strategic goals 1 and 5 are planned to be "
    "addressed the following year (2013). Strategic goal 5 was postponed because of the EC's "
    "expected development of tools for asset recovery on a European level in the course of the "
    "year 2012."
)
A7_EIGHT = "8 Operational activities are planned for 2012"
A7_H4 = "4. ITEMS TO BE CONSIDERED"
A7_H41 = "4.1. Situation report"
A7_SITUATION = (
    "This report aims to enhance the intelligence-led approach that may be adopted at EU-level to "
    "tackle Mobile OCG. The report gives the picture of MOCG and the criminality they are "
    "involved in at the current moment."
)
A7_H42 = "4.2. Strengthening the approach"
A7_H43 = "4.3. Loopholes in legislation: strong impact"
A7_LOOPHOLES = (
    "A general overview concerning loopholes in the legislation in the MS which impede the fight "
    "against MOCG has not been compiled yet."
)
A7_H44 = "4.4. OAP-methodology"
A7_METHODOLOGY = (
    "A new methodology to draw up OAPs was presented by Europol. It offers some interesting "
    "concepts, such as the facilitator, the brainstorming-session, the red team.",
    "However, the timing to present this new methodology was not very convenient. As it was "
    "proposed only very shortly before the meeting, it proved difficult to integrate the new "
    "concepts in the prepared agenda in an efficient and effective way.",
    "Therefore, we propose to introduce the facilitator and the red team in much earlier stage to "
    "the driver, e.g. 2 to 3 months before the meeting. This will allow for them to meet before, "
    "agree on an agenda, make clear arrangements and make the most of the offered support.",
)


def priority_text(annex: int) -> str:
    """The priority statement of an annex as one string."""
    prefix, name, statement = PRIORITY[annex]
    return f"{prefix}{name}): {statement}"


def released_passages() -> list[str]:
    """Every released passage in document order (cover note first).

    A passage is a paragraph, heading, list item or table cell of the public extract; the
    extract's text must contain each of them verbatim after whitespace normalisation.
    """
    out: list[str] = [" ".join(COVER_ISSUER), COVER_DATE, COVER_LABEL, DOC_NUMBER]
    out += list(COVER_CODES)
    out += [COVER_TYPE, COVER_FROM, COVER_TO, COVER_TO_2, COVER_PREV, COVER_SUBJECT]
    out += list(COVER_PARAGRAPHS)
    for label, title, page in ANNEX_LIST:
        out += [label, title, f"p. {page}"]

    def head(annex: int) -> None:
        out.append(priority_text(annex))
        if annex != 7:
            out.extend(DRIVERS[annex])

    head(1)
    out += [DRIVERS_REPORT, A1_EMPACT, A1_PLETHORA, A1_FUTURE, A1_DRAFT_OAP]
    out += [f"{label} {statement}" for label, statement in A1_GOALS]
    head(2)
    out += [DRIVERS_REPORT, A2_DURING, *A2_BULLETS, A2_AMONG, *A2_GOALS]
    head(3)
    out.append(DRIVERS_REPORT)
    for heading, quote, _ in A3_GOALS:
        out += [heading, quote]
    head(4)
    out += [DRIVERS_REPORT, A4_BEARING]
    head(5)
    out += [A5_QUOTE, A5_IN_ORDER, A5_SG3, A5_APPEARED, A5_CUSTOMS, A5_ALL_THESE, A5_SG4]
    out.append(A5_PARTLY)
    head(6)
    out += [DRIVERS_REPORT, "".join(A6_OAP)]
    out.append(priority_text(7))
    out.extend(DRIVERS[7])
    out += [DRIVERS_REPORT, A7_PROJECT, A7_REPORTING, A7_DATE, A7_H1, *A7_CONTEXT]
    out += [A7_H2, A7_H21, A7_FIRST_YEAR, *A7_ISSUES, A7_H22, A7_WORKSHOP, *A7_GOALS]
    out += [" ".join(A7_FOOTNOTE), A7_H3, A7_MEETING, A7_EIGHT, A7_H4, A7_H41, A7_SITUATION]
    out += [A7_H42, A7_H43, A7_LOOPHOLES, A7_H44, *A7_METHODOLOGY]
    head(8)
    out.append(DRIVERS_REPORT)
    return out


# --------------------------------------------------------------------------------------
# Invented vocabulary (withheld text only)
# --------------------------------------------------------------------------------------

OPERATIONS = (
    "Operation Quillfeather",
    "Operation Marrowgate",
    "Operation Tessellan",
    "Operation Brindlewick",
    "Operation Cobaltfen",
    "Operation Larkspire",
    "Operation Velvetmoor",
    "Operation Thistlegrove",
    "Operation Ombervale",
    "Operation Saltreach",
)
PROJECTS = (
    "Project Ambercrest",
    "Project Glimmerholt",
    "Project Saffrondrift",
    "Project Wrenhallow",
    "Project Cindermoss",
    "Project Lanternvale",
)
UNITS = (
    "Varnholt liaison cell",
    "Ostrelle coordination desk",
    "Dravenmark analysis unit",
    "Skarrowin task team",
    "Mirelund joint desk",
    "Pellwyn border post",
)
SOURCES = ("HOLLOWBRIGHT", "PEWTERLARK", "GRISTLEWREN", "MOTHCANDLE")
SYSTEMS = ("Mossgrave index", "Quillon ledger", "Tallowmere register", "Brassfinch relay")
PLACES = (
    "Kestravik",
    "Vellmora",
    "Dunmarrow",
    "Sorvenne",
    "Qualmoor",
    "Brackenhythe",
    "Ismerra",
    "Zerrowan",
    "Orlavelle",
    "Caldrissa",
)
VESSELS = ("Corrowind", "Saltmarrow Queen", "Lindenquell")
COMMODITIES = ("marrowsalt", "glassmoth tablets", "cindervale powder")

# Outline entries that point at withheld headings (the headings carry the same text).
WITHHELD_OUTLINE = (
    ("Operation Quillfeather debrief", 25),
    ("Varnholt liaison cell tasking sheet", 49),
    ("Project Ambercrest source register", 110),
)
META_CANARY = "Quillfeather-meta"  # document information dictionary (keywords)
XMP_CANARY = "Quillfeather-xmp"  # XMP packet


def canaries() -> list[str]:
    """Distinctive invented phrases; each occurs only in withheld places of the sample."""
    out = list(OPERATIONS) + list(PROJECTS) + list(UNITS) + list(SOURCES) + list(SYSTEMS)
    out += list(PLACES) + list(VESSELS) + list(COMMODITIES)
    out += [title for title, _ in WITHHELD_OUTLINE]
    out += [META_CANARY, XMP_CANARY]
    return out


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "September",
    "October",
    "November",
)

SENTENCES = (
    "{op} was opened after source {src} reported {n} consignments of {com} moving through "
    "{place}.",
    "During the reporting period the {unit} exchanged {n} intelligence packages with the {unit2} "
    "under {proj}.",
    "The joint action day foreseen under {op} was moved to week {wk} because the {place} harbour "
    "board asked for a second check against the {sys}.",
    "{proj} has so far identified {n} facilitators operating between {place} and {place2}; {m} "
    "of them have been arrested.",
    "Financial checks run through the {sys} traced EUR {x} million to shell companies registered "
    "in {place}.",
    "The {unit} recommends that the next phase of {op} concentrate on the {place} routes and on "
    "the vessel {ves}.",
    "The participants in {proj} agreed to pool their {sys} extracts before the {month} steering "
    "meeting.",
    "Source {src} remains the only reporting line on the warehouses at {place} and must not be "
    "quoted outside the {unit}.",
    "A second debriefing of source {src} is planned before the next {proj} steering meeting in "
    "{place2}.",
    "Seizures attributed to {op} now total {n} kilograms of {com} and {m} forged cargo manifests.",
    "The vessel {ves} was boarded off {place} on the basis of an alert from the {unit}; {m} crew "
    "members were questioned.",
    "The {unit} estimates that {op} disrupted about {p} per cent of the {com} supply reaching "
    "{place}.",
    "Liaison officers attached to the {unit} visited {place} in {month} to prepare the handover "
    "of {proj}.",
    "The {sys} now holds {n} entries linked to {op}, of which {m} were added by the {unit}.",
    "Follow-up of {op} depends on the agreement of the {place} prosecutor to a second controlled "
    "delivery of {com}.",
    "A budget of EUR {k} has been earmarked for the {place} training module under {proj}.",
    "Members of the network used the vessel {ves} and at least {m} smaller craft registered in "
    "{place2}.",
    "According to source {src}, the group targeted by {op} switched to {com} in {month}.",
    "The {unit} and the {unit2} will draft a joint threat note on the {place} corridor by week "
    "{wk}.",
    "Meetings of the {proj} working party took place in {place} on {d1} and {d2} {month}.",
    "Cross-checks against the {sys} confirmed {m} aliases used by the {op} couriers.",
    "The mirror investigation opened in {place} under {op} has not yet produced an exchange of "
    "evidence with {place2}.",
    "It is proposed to extend {proj} to the {place} transit zone and to assign {m} analysts from "
    "the {unit}.",
    "Reporting from source {src} suggests that payments for {com} are settled in {place2} "
    "through the {sys}.",
    "The leaders of {proj} consider the cooperation with the {unit} satisfactory but slow on "
    "tasking.",
    "Two officers of the {unit} were seconded to {place} for {m} weeks to support {op}.",
    "The {place} authorities have not yet answered the request for mutual assistance sent under "
    "{op} in {month}.",
    "Intercepted messages show that the {op} suspects used the code word {com} for cash "
    "transfers via {place2}.",
    "The risk profile built in {proj} flagged {n} containers declared as {com} at {place}.",
    "Of the {n} leads produced by {proj}, {m} were passed to the {unit} for operational follow-up.",
)

HEADINGS = (
    "Activity sheet {code}: {proj}",
    "{op}: state of play",
    "Tasking of the {unit}",
    "Financial strand of {proj}",
    "Outlook for the {place} corridor",
    "{op}: seizures and arrests",
    "Lessons from {op}",
    "Use of the {sys}",
    "Reporting by source {src}",
    "Cooperation with {place} authorities",
)


class Inventor:
    """Deterministic generator of invented withheld text.

    Names are drawn in rotation (each list shuffled once with a fixed seed), so that every
    name of the vocabulary occurs many times; numbers come from a seeded ``random.Random``.
    """

    def __init__(self, seed: int = 16014) -> None:
        self.rng = random.Random(seed)
        self._pools: dict[str, Iterator[str]] = {}
        pools = {
            "op": OPERATIONS,
            "proj": PROJECTS,
            "unit": UNITS,
            "src": SOURCES,
            "sys": SYSTEMS,
            "place": PLACES,
            "ves": VESSELS,
            "com": COMMODITIES,
            "month": MONTHS,
            "sentence": SENTENCES,
            "heading": HEADINGS,
        }
        for key, values in pools.items():
            self._pools[key] = self._cycle(values)
        self._code = 0

    def _cycle(self, values: tuple[str, ...]) -> Iterator[str]:
        order = list(values)
        while True:
            self.rng.shuffle(order)
            yield from order

    def pick(self, key: str) -> str:
        """The next name of a vocabulary pool."""
        return next(self._pools[key])

    def _slots(self) -> dict[str, str]:
        r = self.rng
        place = self.pick("place")
        place2 = self.pick("place")
        if place2 == place:
            place2 = self.pick("place")
        unit = self.pick("unit")
        unit2 = self.pick("unit")
        if unit2 == unit:
            unit2 = self.pick("unit")
        d1 = r.randint(2, 26)
        self._code += 1
        return {
            "op": self.pick("op"),
            "proj": self.pick("proj"),
            "unit": unit,
            "unit2": unit2,
            "src": self.pick("src"),
            "sys": self.pick("sys"),
            "place": place,
            "place2": place2,
            "ves": self.pick("ves"),
            "com": self.pick("com"),
            "month": self.pick("month"),
            "n": str(r.randint(12, 480)),
            "m": str(r.randint(2, 11)),
            "p": str(r.randint(8, 47)),
            "x": f"{r.randint(1, 19)}.{r.randint(1, 9)}",
            "k": f"{r.randint(40, 390)} 000",
            "wk": str(r.randint(3, 50)),
            "d1": str(d1),
            "d2": str(d1 + 1),
            "code": f"{r.choice('KQVZ')}-{r.randint(10, 99)}",
        }

    def sentence(self) -> str:
        """One invented sentence."""
        return self.pick("sentence").format(**self._slots())

    def heading(self) -> str:
        """One invented heading."""
        text = self.pick("heading").format(**self._slots())
        return text[0].upper() + text[1:]

    def phrase(self, kind: str) -> str:
        """A short invented cell text of a given kind (for tables)."""
        s = self._slots()
        r = self.rng
        if kind == "action":
            return r.choice(
                (
                    "Map the {place} landing strips used by {op} couriers",
                    "Joint risk profile on {com} shipments through {place}",
                    "Exchange of {sys} extracts with the {unit}",
                    "Controlled delivery of {com} towards {place2}",
                    "Training of {place} port officers under {proj}",
                    "Debriefing of source {src} on the {place} warehouses",
                    "Asset tracing on front companies of {op}",
                    "Deployment of the {unit} to {place} for {op}",
                    "Feasibility study on the {sys} for {proj}",
                    "Common analysis of {ves} crew lists",
                )
            ).format(**s)
        if kind == "leader":
            return r.choice(UNITS).split()[0] + " " + r.choice(("cell", "desk", "team", "unit"))
        if kind == "partners":
            a, b = r.sample(UNITS, 2)
            return f"{a.split()[0]}, {b.split()[0]}, {s['place']} desk"
        if kind == "deadline":
            return r.choice(("Q1", "Q2", "Q3", "Q4")) + " " + r.choice(("2012", "2013"))
        if kind == "status":
            return r.choice(
                (
                    "Ongoing; {n} reports entered in the {sys}",
                    "Finished; {m} arrests in {place}",
                    "Delayed; awaiting {place} reply",
                    "Not started; linked to {op}",
                    "Finished; EUR {x} million frozen",
                    "Ongoing; source {src} tasked",
                )
            ).format(**s)
        raise ValueError(kind)
