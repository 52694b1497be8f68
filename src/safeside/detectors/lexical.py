"""Phrase recognizers for children, ages, dates, health details and named places,
schools and organisations that follow UK naming patterns ("Fernbank Primary",
"Northdale Family Court", "Hillside estate", "Mrs Okafor").
"""

from __future__ import annotations

import re

from safeside.detectors.patterns import register_pattern

_I = re.IGNORECASE

# --- children -----------------------------------------------------------------------------
_OWNER = r"(?:my|our|her|his|their|your|ur|yr|the|a|this|that|one of (?:my|our|her|his|their))"
_NUM = r"(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)"
_ADJ = (
    r"(?:(?:little|beautiful|gorgeous|lovely|favourite|baby|eldest|oldest|youngest|middle|"
    r"new|own|twin|step|little|precious|amazing|poor|other|two|three|four|five|\d)[\s-]+){0,3}"
)
_KID_NOUN = (
    r"(?:son|daughter|boy|girl|lad|lass|kid|kids|child|children|baby|babies|toddler|teen|"
    r"teenager|grandson|granddaughter|grandchild|grandchildren|grandkids|twins|little one|"
    r"little ones|little man|little princess|stepson|stepdaughter|"
    r"(?:little|baby|younger|kid|lil) (?:brother|sister|bro|sis)|"
    r"youngest|eldest|oldest|middle one|newborn|bairn|bairns|young person|young people|"
    r"foster child|foster son|foster daughter|sons|daughters|boys|girls|lads|youngen|youngster)"
)
#: "my sons phone", "my daughters been sent home": a possessive or "is"/"has" without its
#: apostrophe, not two children (14 of 16 marked so); the "s" stays outside the span
_CONTRACTED = (
    r"(?=s\s+(?:in|at|got|been|going|gone|doing|not|just|off|out|back|home|had|always|never|"
    r"still|so|really|having|starting|started|turning|nearly|almost|now|on|birthday|school|"
    r"teacher|dad|mum|friend|mate|room|phone|new|first|last|coming|being|getting|playing)\b)"
)
CHILD_POSSESSIVE = re.compile(
    rf"\b(?:my|our|her|his|their|your|ur|yr)\s+(?:son|daughter|grandson|granddaughter){_CONTRACTED}"
    rf"|\b(?:my|our|her|his|their|your|ur|yr)\s+{_ADJ}{_KID_NOUN}\b(?!-in-law)"
    rf"|\bone of (?:mine|ours|(?:my|our) {_KID_NOUN})\b"
    rf"|\b(?:my|our|her|his|their|your|ur)\s+(?:sister|brother|friend|mate|cousin|sister-in-law)'?s\s+(?:kids|children|son|daughter|boy|girl|baby)\b",
    _I,
)
#: Nouns that stay inside an aged child phrase: "a 14 year old girl", "a 12yo gymnast".
_CHILD_NOUN = (
    r"(?:\s+(?:boy|girl|son|daughter|baby|lad|lass|child|kid|twins|toddler|brother|sister|"
    r"cousin|nephew|niece|grandson|granddaughter|player|footballer|gymnast|dancer|swimmer|"
    r"boxer|sprinter|runner|pupil|student|keeper|goalkeeper|striker)s?)?"
)
CHILD_AGED = re.compile(
    rf"\b(?:(?:my|our|her|his|their|your|ur|the|a|an|this|that)\s+)?{_NUM}[\s-]?(?:year|yr|month|week|day)s?[\s-]?old"
    rf"{_CHILD_NOUN}\b"
    rf"|\b(?:the|a|an|my|our|her|his|this|that)\s+\d{{1,2}}\s?(?:yo|y/o|yrs?o){_CHILD_NOUN}\b"
    rf"|\b{_NUM}\s+(?:kids|children|grandchildren|grandkids)\b",
    _I,
)
#: Parenting-forum shorthand for one's children: DS/DD (dear son/daughter, DS1, DD2), DSS/DSD
#: (stepson/-daughter), LO (little one), DC (dear children), DTs (twins); our writers mark
#: them as child references 134 times in 140. Capitals only ("ds" is a game console).
CHILD_FORUM = re.compile(
    # a foster carer's "our FC" (foster child): 66 of 70 marked, with the possessive
    r"\b(?:[Oo]ur|[Mm]y|[Hh]er|[Hh]is|[Tt]heir|[Yy]our) FC\b(?![-’]?\w)(?!'\w\w)"
    r"|\b(?:DS|DD|DSS|DSD|DS[1-5]|DD[1-5]|LO|DC|DTs|DT[1-2])\b(?![-'’]?\w)"
    r"(?!\s+(?:game|games|lite|console|xl|charger|cartridge)\b)"
)
#: "baby" naming a thing, not a child: "the baby clothes", "the baby bank" (8 of 8 unmarked)
_BABY_THING = (
    r"(?!\s+(?:clothes|bank|shower|wipes|monitor|food|groups?|bouncer|steps|stuff|things|seats?|"
    r"sling|milk|formula|gear|bath|equipment|section|aisle|bottles?|blanket|room|oil|powder|"
    r"sitter|sitting|box|boxes|club|show|scan|teeth|talk|brain|blues|boomers?|gates?|stage|"
    r"bags?|bed|cot|toys|items)\b)"
)
CHILD_THE = re.compile(
    r"\b(?:the|this|that)\s+(?:lad|lass|boy|girl|kids|baby" + _BABY_THING + r"|twins|middle one|"
    r"youngest|eldest|little one|toddler|teenager|young lad|little lad|little girl|little boy|"
    r"newborn)\b|\blittle [A-Z]\b|\btwins\b",
)
CHILD_THE_I = re.compile(
    r"\b(?:the|this|that)\s+(?:lad|lass|kids|twins|middle one|little one|eldest|youngest|"
    r"oldest|middle (?:girl|boy|child|lad|lass))\b",
    _I,
)
#: A parent's count for their children: "my two", "our three", "my 2" (our writers mark
#: 64 of 74 as child references: the rest are their own misses). Only before a pause or
#: a word that cannot be the noun counted ("my two brothers", "her 2/10" are not).
CHILD_COUNTED = re.compile(
    r"\b(?:my|our|her|his|their|your|ur)\s+(?:two|three|four|five|2|3|4|5)\b(?![-/.,]?\d)"
    r"(?=\s*(?:$|[^\w\s-]|(?:at|are|were|is|was|have|had|and|in|on|this|today|tonight|"
    r"tomorrow|yesterday|with|off|to|start|started|love|loved|go|went|get|got|actually|both|"
    r"all|will|would|can|could|just|still|back|home|playing|asleep|for|after|before|from|out|"
    r"up|down|when|while|who|as|too|so|because|cos|but|or|x|xx|ever|every|again|don't|dont|"
    r"didn't|didnt|won't|wont|never|always|being|now)\b))",
    _I,
)

# --- ages ----------------------------------------------------------------------------------
AGE = re.compile(
    r"(?<=\()\d{1,2}(?=\))"
    # the number alone after "aged": our writers mark "aged 4" as "4" (10 to 5); "turned 5"
    # keeps its verb, as the annotation conventions say (shared/data/dev/README.md)
    r"|(?<=\baged )\d{1,2}\b|(?<=\bage )\d{1,2}\b|(?<=\bage of )\d{1,2}\b"
    r"|\b(?:turned|turning|just turned)\s+\d{1,2}\b"
    r"|\b\d{1,2}\s?(?:yo|y/o|yrs? old|years? old)\b"
    r"|\b\d{1,2}(?:st|nd|rd|th) birthday\b"
    r"|\b(?:year|yr)\s?(?:[1-9]|1[0-3])\b(?!\s*(?:[/.]|of\b))"
    r"|\b1[0-9]-1[0-9]s\b"
    r"|\b(?:when|till|until) (?:you|u|he|she|they)(?:'re| are| r| turn)\s+\d{1,2}\b"
    r"|\b\d{1,2} months(?= old)"
    # an age team ("U9 mums", "the U11s": 79 of 91 marked) and a school year ("Y7", "y11")
    r"|\b(?-i:U)(?:[5-9]|1[0-9]|2[0-3])s?\b|\b[Yy](?:[1-9]|1[0-3])\b(?![-/.]\d)"
    # an age between commas after a name or a word ("Grace Orme, 10, Carrowby": 64 of 65)
    r"|(?<=[A-Za-z], )(?:1[0-9]|[1-9])(?=, )",
    _I,
)
_NOT_AGE_AFTER = r"(?!\s*(?:%|pm|am|:|\.\d|mins|minutes|hours|hrs|days|weeks|times|quid|pounds|miles|k\b|st\b|nd\b|rd\b|th\b|minutes|secs|x\b|/))"
AGE_STATED = re.compile(
    r"\b(?:(?:he|she|they|i|u|you)(?:'s|s| is| are|'re| am|'m|m| r)\s+(?:only\s+|just\s+|nearly\s+|almost\s+)?)"
    r"(\d{1,2})\b"
    + _NOT_AGE_AFTER
    + r"|\b(?:mature|grown up|old|tall|big)\s+for\s+(?:a\s+)?(\d{1,2})\b"
    + r"|\b(?:as|being)\s+(?:a\s+)?(\d{1,2})\b(?=\s*(?:year|yr)?\s*old)",
    _I,
)

# --- dates ---------------------------------------------------------------------------------
#: "sat" is Saturday unless it is the verb ("sat in the car", "I sat through it").
_SAT_VERB = (
    r"(?:in|on|at|by|with|through|down|up|there|here|outside|next|beside|for|alone|around|"
    r"round|back|opposite|quietly|staring|waiting|crying|and|having|watching|listening|"
    r"with|across|behind|under|inside|together|in front)"
)
#: "sun" is Sunday unless it is the sun ("two weeks of sun", "sun cream", "in the sun").
_SUN_NOT_DAY = (
    r"(?<!\bof )(?<!\bthe )(?<!\ba )(?<!\bsome )(?<!\bmore )(?<!\bno )(?<!\bhot )"
    r"sun(?!\s*(?:cream|lounger|tan|burn|shine|glasses|bed|set|rise|hat|block|light|screen|"
    r"[,&]?\s*sand|and sand|and sea)\b)"
)
_DAY = (
    r"(?:(?:mon|tues|tue|wednes|wed|thurs|thur|thu|fri|satur)(?:day)?|saturday|sunday"
    rf"|{_SUN_NOT_DAY}|sat(?!\s+{_SAT_VERB}\b))"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"\d{1,2}(?:st|nd|rd|th)"
#: A day named for a habit or a thing, not a date: "every Tuesday", "a Saturday job".
_HABIT_BEFORE = r"(?<!\bevery )(?<!\beach )(?<!\bmost )(?<!\bon a )(?<!\ba )(?<!\bany )"
_HABIT_AFTER = (
    r"(?!\s+(?:job|jobs|service|services|club|league|shift|shifts|school|class|classes|"
    r"session|sessions|drop-in|roast|paper|papers|market|rota|routine|kickabout|team)\b)"
)
#: A four-digit number that counts something is not a year: "2000 robux", "1987 steps".
_NOT_A_YEAR_AFTER = (
    r"(?!\s+(?:words|robux|vbucks|v-bucks|coins|points|steps|followers|likes|views|calories|"
    r"pounds|quid|people|miles|times|subs|subscribers|members|signatures|pages)\b)"
)
DATE = re.compile(
    rf"\b{_DAY},?\s+(?:the\s+)?{_ORD}(?:\s+(?:of\s+)?{_MONTH}\b)?(?:\s+\d{{4}})?"  # Saturday 8th (May)
    rf"|\b{_DAY},?\s+\d{{1,2}}\s+{_MONTH}\b(?:\s+\d{{4}})?"  # Saturday 3 May
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b"  # 14-15 June
    r"|\b(?!24/7\b)(?!\d{1,2}/10\b(?![/.]\d))(?!\d/5\b(?![/.]\d))\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"  # 02/01, not 24/7, 9/10, 3/5
    r"|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"  # 14.03.2012
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\s+\d{{4}})?"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|"
    rf"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\s+(?:19[5-9]\d|20[0-3]\d)\b"  # February 2024
    r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b"
    rf"|\b(?:19[5-9]\d|20[0-3]\d)\b{_NOT_A_YEAR_AFTER}"
    rf"|\b(?:this|next|last)\s+{_DAY}(?:\s+(?:night|morning|afternoon|evening))?\b"
    rf"|{_HABIT_BEFORE}\b{_DAY}(?:\s+(?:night|morning|afternoon|evening))?\b{_HABIT_AFTER}"
    r"|\b(?:today|tonight|tonite|2nite|2day|tomorrow|tmrw|tmr|tomoz|2moro|2morrow|2mrw|yesterday|last night)\b"
    r"|\b(?:this|next|last)\s+(?:week|weekend|month|morning|afternoon|evening|term)\b"
    r"|\bthis\s+(?:morning|afternoon|evening)\b"
    rf"|(?:(?<=\bin )|(?<=\bsince )|(?<=\bfrom )|(?<=\buntil )){_MONTH}\b",
    _I,
)
#: Days that name a habit, not when something happens (never a ``DATE``, by the annotation
#: conventions; our writers marked 1 of 342 such phrases): "every other Saturday", "Tues
#: and Thurs", "Mon–Fri", "Mon/Wed/Fri", "Sundays", "Sunday mornings".
_WEEKDAY = (
    r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)"
)
_PART = r"(?:\s+(?:night|morning|afternoon|evening|lunchtime)s?)?"
_AND = r"\s*(?:,|/|[-–]|\band\b|&|\bor\b|\bto\b)\s*"
HABIT_DAYS = re.compile(
    rf"\b(?:every|each)\s+(?:other\s+|single\s+|second\s+)?{_WEEKDAY}s?{_PART}"
    rf"(?:{_AND}{_WEEKDAY}s?{_PART})*\b"
    # a list of days, unless it fixes an event ("court on Thursday and Friday")
    rf"|(?<!\bon )(?<!\bthis )(?<!\bnext )(?<!\bby )(?<!\buntil )(?<!\btill )"
    rf"\b{_WEEKDAY}s?{_PART}(?:{_AND}{_WEEKDAY}s?{_PART})+\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b"
    rf"|\b{_WEEKDAY}\s+(?:nights|mornings|afternoons|evenings)\b",
    _I,
)
_MONTH_ALONE = re.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
)

# --- health ----------------------------------------------------------------------------------
HEALTH_TERMS = (
    "autism", "autistic", "asd", "adhd", "add", "bipolar", "schizophrenia", "schizophrenic",
    "psychosis", "psychotic", "personality disorder", "eupd", "bpd", "ptsd", "ocd",
    "cerebral palsy", "down syndrome", "down's syndrome", "epilepsy", "epileptic", "diabetes",
    "diabetic", "asthma", "inhaler", "learning disability", "learning disabilities",
    "global developmental delay", "developmental delay", "dyslexia", "dyspraxia", "fasd",
    "foetal alcohol", "fetal alcohol", "sickle cell", "cystic fibrosis", "hiv", "hepatitis c",
    "dementia", "alzheimer's", "parkinson's", "ms", "multiple sclerosis", "cancer", "chemo",
    "chemotherapy", "leukaemia", "depression", "anxiety disorder", "eating disorder",
    "anorexia", "anorexic", "bulimia", "overdose", "overdosed", "od'd", "methadone",
    "on methadone", "subutex", "buprenorphine", "sertraline", "fluoxetine", "citalopram",
    "mirtazapine", "diazepam", "olanzapine", "risperidone", "lithium", "ritalin",
    "methylphenidate", "melatonin", "insulin", "back on the drink", "back on the gear",
    "heroin addict", "alcoholic", "alcohol dependent", "drug addict", "recovering addict",
    "in recovery", "in rehab", "rehab", "detox", "sectioned", "wheelchair user", "wheelchair",
    "deaf", "blind", "visually impaired", "hearing impaired", "tourette's", "tourettes",
    "pregnant", "miscarriage", "stroke", "brain injury", "self-harms", "sen", "ehcp",
    "postnatal depression", "post-natal depression", "pnd", "hiv positive", "on antidepressants",
    "antidepressants", "on meds", "tube fed", "peg fed", "spina bifida", "muscular dystrophy",
    "global delay", "selective mutism", "attachment disorder", "odd", "pda",
    "foetal alcohol syndrome", "fetal alcohol syndrome", "copd", "emphysema", "heart condition",
    "heart disease", "kidney disease", "dialysis", "bipolar disorder", "schizoaffective",
    "emotionally unstable personality disorder", "borderline personality disorder",
    "learning difficulties", "autism spectrum disorder", "type 1 diabetes", "type 2 diabetes",
    "crohn's", "arthritis", "chronic fatigue", "long covid", "motor neurone disease", "mnd",
    "huntington's", "anorexia nervosa", "bulimia nervosa", "psychotic episode", "postnatal psychosis",
    "substance misuse", "alcohol misuse", "drug misuse", "on a methadone script", "terminal cancer",
    # conditions, injuries and treatment stated about a person (2026-12-05)
    "migraine", "migraines", "seizure", "seizures", "chicken pox", "chickenpox", "measles",
    "nits", "head lice", "burnout", "had surgery", "after surgery", "amputee", "anxiety", "panic attack",
    "panic attacks", "learning difficulty", "fractured skull", "skull fracture", "fractures",
    "broken arm", "broken wrist", "broken leg", "broken ankle", "broken his arm",
    "broken her arm", "broken his wrist", "broken her wrist", "broken his leg",
    "broken her leg", "antibiotics", "glue ear", "grommets", "hearing aid", "hearing aids",
    "cochlear implant", "sober", "alcohol dependency", "drug dependency", "opiate dependency",
    "eczema", "complex medical needs", "complex health needs", "stammer", "stutter",
    "deafblind", "partially sighted", "non-verbal", "nonverbal", "perimenopausal",
    "menopause", "antipsychotic", "antipsychotics", "antidepressant", "on the drink",
    "on the gear", "cannabis use", "drug use", "alcohol use", "hip replacement",
    "knee replacement", "hip op", "knee op", "heart surgery", "heart meds", "heart tablets",
    "chronic pain", "fibromyalgia", "endometriosis", "born premature", "born prematurely",
    "underweight", "failure to thrive", "born addicted", "neonatal abstinence syndrome",
    "positive for cocaine", "positive for cannabis", "tested positive", "psychiatric ward",
    "mental health ward", "on a section", "psych ward", "sickle cell disease", "lupus",
    "paralysed", "wheelchair-user", "visually-impaired", "registered blind", "hard of hearing",
    "ppd",
)  # fmt: skip
#: A condition with the word that says which or how much: "bowel cancer", "profoundly deaf".
HEALTH_DESCRIBED = re.compile(
    r"\b(?:early[- ]onset|vascular|frontotemporal|bowel|breast|lung|prostate|ovarian|skin|"
    r"brain|blood|terminal|stage \d|profoundly|severely|severe|partially|mild|moderate|"
    r"non-verbal|nonverbal|clinical|postnatal|post-natal)\s+"
    r"(?:dementia|cancer|deaf|autistic|autism|epilepsy|asthma|depression|anxiety|"
    r"learning disabilit(?:y|ies)|sight loss|hearing loss)\b"
    r"|\b(?:\d{1,2}|six|three|two|four|five|nine|eighteen|twelve) (?:months?|weeks?|years?|days?) "
    r"(?:sober|clean)\b"
    r"|\b\d{1,2} (?:months|weeks) pregnant\b",
    _I,
)
_HEALTH_CASE_SENSITIVE = {"asd", "adhd", "add", "eupd", "bpd", "ptsd", "ocd", "ms", "hiv", "sen",
                          "ehcp", "pnd", "fasd", "odd", "pda", "mnd", "ppd"}  # fmt: skip
HEALTH = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(t)
        for t in sorted(HEALTH_TERMS, key=len, reverse=True)
        if t not in _HEALTH_CASE_SENSITIVE
    )
    + r")\b",
    _I,
)
HEALTH_ACRONYM = re.compile(
    r"\b(?:"
    + "|".join(sorted((t.upper() for t in _HEALTH_CASE_SENSITIVE), key=len, reverse=True))
    + r")\b"
)

# --- named places, schools, organisations, titled people -------------------------------------
_CAP = r"(?:St\.? |Saint )?[A-Z][a-z'’A-Z]+(?:[- ][A-Z][a-z'’]+){0,2}"
#: Capitalised words that start a sentence or a greeting, not a name: "Dear Kessingford
#: Council", "Rang Wickerslade Council", "On Tuesday Carrowby Family Court".
#: ("The" only for an organisation: "The Crescent" is a street, "The Dunmere Council" not.)
_LEAD_WORDS = (
    r"Dear|Hi|Hello|Thanks|Rang|Rung|Phoned|Called|Emailed|Contacted|Told|Asked|Ring|"
    r"Call|Email|Tell|Ask|On|At|From|To|And|But|So|If|When|Went|By|For|With|Yesterday|"
    r"Today|Tomorrow|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_NOT_NAME_START = rf"(?!(?:{_LEAD_WORDS})\s)"
_NOT_ORG_START = rf"(?!(?:{_LEAD_WORDS}|The|Our|My|Your|Ur|Her|His|Their)\s)"
SCHOOL = re.compile(
    rf"\b{_NOT_NAME_START}{_CAP}\s+(?:C of E |CofE |C\.?E\.? |RC |R\.C\. |Catholic |Community |Church |Infant |Junior )?"
    r"(?:Primary(?: School| Academy)?|Academy|High School|High|Secondary School|School|Nursery(?: School)?|"
    r"College|Infants|Infant School|Juniors|Junior School|Sixth Form|Grammar(?: School)?|"
    r"Pre-?school|Preschool|Day Nursery|PRU|Pupil Referral Unit)\b"
)
ORG = re.compile(
    rf"\b{_NOT_ORG_START}{_CAP}\s+(?:City |Borough |County |District |Metropolitan )?"
    r"(?:Council|Family Court|County Court|Crown Court|Magistrates'? Court|Youth Court|"
    r"Children'?s Services|Children and Families|Adult Services|Adult Social Care|"
    r"social services|Social Services|Police|Constabulary|NHS (?:Foundation )?Trust|"
    r"Housing(?: Association| Trust)?|Homes|Cabs|Taxis|Trust|Hospice|Foundation|Services|"
    # sports clubs: "Wrayford Juniors FC", "Castleburn RUFC" (10 of 10 marked ORG; "Our FC"
    # is a foster child, and "Our" starts no organisation)
    r"(?:Juniors |Town |United |Rovers |Athletic |Ladies |Youth )?(?:FC|AFC|RFC|RUFC|JFC|ARLFC)|"
    r"(?:youth offending|leaving care|fostering|adoption|MASH|safeguarding|duty|early help|"
    r"disabled children'?s|children in care|looked after children)\s+(?:team|service)|"
    r"(?:Youth Offending|Leaving Care|Fostering|Adoption|Safeguarding|Early Help)\s+(?:Team|Service))\b"
)
#: a uniformed youth group, with its number where it has one: "1st Kettleby Rainbows",
#: "Saltmarsh Sea Cadets" (our writers: ORG in 15 of 15 training texts; a youth club is a
#: place, LOCATION)
ORG_UNIFORMED = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th) )?{_NOT_ORG_START}(?!(?:Took|Joined|Join|Joining|Left|Visited|"
    r"Started|Loves?|Met|Saw|Thank|Congrats|Congratulations|Proud|Both|All|Ex|Former)\s)"
    rf"{_CAP}\s+(?:Scouts|Cubs|Beavers|Rainbows|"
    r"Brownies|Guides|Explorers|Squirrels|Sea Cadets|Army Cadets|Air Cadets|Cadets|Scout Group|"
    r"Guide Unit)\b"
)
ORG_KNOWN = re.compile(
    r"\b(?:Cafcass|CAFCASS|CAMHS|DWP|BASW|Social Work England|Ofsted|OFSTED|NSPCC|Barnardo'?s|"
    r"Childline|Women'?s Aid|Refuge|Samaritans|Action for Children|Home Office|HMRC|"
    r"Citizens Advice|Shelter|Mencap|CoramBAAF|Coram|Step Up to Social Work|Save the Children|"
    r"Neighbourhood Watch|YoungMinds|Young Minds|Macmillan|"
    r"Think Ahead|Research in Practice|SCIE|Skills for Care|ADCS|ADASS|Youth Justice Board|"
    r"Probation Service|Job ?Centre(?: Plus)?|NHS England|Department for Education|DfE|"
    r"Family Drug and Alcohol Court|FDAC|SWE|HCPC|SSSC|Social Care Wales|NICE|"
    # names that are also words: "Mind she's no had her breakfast", "Kinship carer here",
    # "Frontline staff deserve stability"
    r"Mind(?!\s+(?:you|she|he|it|out|how|the|your|ur|yer|that|this|and|if|ye)\b)|"
    r"Kinship(?!\s+(?:carers?|care|placements?|foster\w*|arrangements?|orders?|famil\w+)\b)|"
    r"Frontline(?!\s+(?:staff|workers?|practice|practitioners?|services?|social|teams?|roles?)\b))\b"
)
LOCATION = re.compile(
    rf"\b{_NOT_NAME_START}{_CAP}\s+(?:estate|Estate|Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Gardens|"
    r"Terrace|Square|Grove|Green|Mews|Rise|Parade|Park|Retail Park|Leisure Centre|"
    r"Community Centre|Sports Centre|Health Centre|Medical Centre|Centre|family centre|"
    r"Family Centre|family hub|Family Hub|children'?s centre|Children'?s Centre|refuge|Refuge|"
    r"Hospital|General|Infirmary|hostel|Hostel|House|Library|library|Station|station|"
    r"Shopping Centre|precinct|Precinct|Rec|rec|flats|Flats|Tower|Towers|Court|Baths|Pool|"
    r"Quay|Market|Common|Moor|Fields|Heath|Wood|Woods|Rec Ground|Playing Fields|Cemetery|"
    r"Church|Mosque|Chapel|Hall|Arms|Inn)\b"
)
LOCATION_SHOP = re.compile(
    r"\b(?:[A-Z][a-z]+\s+(?:Tesco|Asda|Aldi|Lidl|Morrisons|Sainsbury'?s|McDonald'?s|Maccies|KFC|Greggs|Costa|Primark|B&M|Iceland|Co-op)"
    r"|(?:Tesco|Asda|Aldi|Lidl|Morrisons|Sainsbury'?s|McDonald'?s|Maccies|KFC|Greggs|Costa|B&M|Iceland|Co-op)\s+(?:car park|carpark))\b"
)
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Judge|HHJ|DJ|Sir|Dame|Nurse|Father|Fr|Rev|Cllr|Councillor|PC|DC|DS|Sgt|Officer)"
#: a surname's letters; an apostrophe only inside it ("O'Neil"), not a possessive ("Okoro's")
_SURNAME = r"[A-Z](?:[a-z]+|['’](?!s\b)[A-Za-z][a-z]*)(?:(?:['’](?!s\b)|-)[A-Za-z][a-z]*)*"
PERSON_TITLED = re.compile(rf"\b{_TITLE}\.?\s+(?:{_SURNAME}(?:\s+{_SURNAME})?|[A-Z]\b)")
PERSON_TITLED_LOWER = re.compile(
    r"\b(?:mr|mrs|ms|miss)\.?\s+(?!and\b|or\b|the\b|a\b)[a-z][a-z'\-]{2,}\b"
)
FAMILY = re.compile(r"\b(?<=[Tt]he )[A-Z][a-z]+(?:s|es)\b(?=[\s,.!?'’]|$)")
_NOT_FAMILY = {
    "Beatles", "Simpsons", "Kardashians", "Olympics", "Lakes", "Dales", "Midlands", "Highlands",
    "Commons", "Lords", "Greens", "Tories", "Nets", "Saints", "Spurs", "Rangers", "Rovers",
    "Wolves", "Blues", "Reds", "Sims", "Avengers", "Muppets", "Smurfs", "Minions", "Jones",
    "Hillsides", "Others", "Bills", "Kids", "Twins", "Police", "Services", "Courts", "Holidays",
    "Christmas", "Guidelines", "Standards", "News", "Times", "Rules", "Friends", "Days",
    "Years", "Weeks", "Months", "Nights", "Mornings", "Basics", "Results", "Details", "Notes",
    "Parents", "Carers", "Workers", "Managers", "Teachers", "Nurses", "Doctors", "Guardians",
}  # fmt: skip


def _family_validator(value: str) -> float | None:
    return None if value in _NOT_FAMILY else 0.7


def _month_validator(value: str) -> float | None:
    return 0.6


_reg = register_pattern


_reg(
    "children.possessive",
    "CHILD_REF",
    CHILD_POSSESSIVE,
    0.85,
    "words that pick out a particular child ('my son', 'her little boy')",
)
_reg(
    "children.aged",
    "CHILD_REF",
    CHILD_AGED,
    0.9,
    "a child described by age ('the 6yo', 'a 9 year old')",
)
_reg(
    "children.definite",
    "CHILD_REF",
    CHILD_THE_I,
    0.7,
    "a particular child ('the lad', 'the twins')",
)
_reg("children.initial", "CHILD_REF", CHILD_THE, 0.7, "a particular child ('little D', 'the boy')")
_reg(
    "children.counted",
    "CHILD_REF",
    CHILD_COUNTED,
    0.75,
    "a parent's children by their number ('my two', 'our three')",
)
_reg(
    "children.forum_shorthand",
    "CHILD_REF",
    CHILD_FORUM,
    0.8,
    "parenting-forum shorthand for one's child ('DS', 'DD2', 'LO', 'our FC')",
)
_reg(
    "dates.habits",
    "_HABIT",
    HABIT_DAYS,
    0.5,
    "days that name a habit, not a date ('every Tuesday', 'Mon-Fri')",
)
_reg("ages.phrase", "AGE", AGE, 0.85, "an age or age-revealing phrase")
_reg("ages.stated", "AGE", AGE_STATED, 0.75, "an age stated about a person ('she's 8')", group=-1)
_reg("dates.phrase", "DATE", DATE, 0.8, "a date or a day that fixes when something happens")
_reg("dates.month", "DATE", _MONTH_ALONE, 0.6, "a month", validator=_month_validator)
_reg(
    "health.terms", "HEALTH", HEALTH, 0.8, "a health condition, disability, medication or treatment"
)
_reg(
    "health.described",
    "HEALTH",
    HEALTH_DESCRIBED,
    0.85,
    "a health condition with the word that says which or how much ('bowel cancer', "
    "'profoundly deaf', '6 months sober')",
)
_reg(
    "health.acronyms",
    "HEALTH",
    HEALTH_ACRONYM,
    0.75,
    "a diagnosis written as an acronym (ADHD, PTSD, ...)",
)
_reg(
    "places.school", "SCHOOL", SCHOOL, 0.9, "named school or nursery ('... Primary', '... Academy')"
)
_reg("places.org", "ORG", ORG, 0.85, "named council, court, service or team")
_reg("places.known_org", "ORG", ORG_KNOWN, 0.9, "named national body or service")
_reg("places.uniformed_group", "ORG", ORG_UNIFORMED, 0.85, "named scout, guide or cadet group")
_reg(
    "places.location",
    "LOCATION",
    LOCATION,
    0.85,
    "named street, estate, venue or place ('... Road', '... estate')",
)
_reg("places.shop", "LOCATION", LOCATION_SHOP, 0.8, "a named shop in an area ('Kingsmoor Tesco')")
_reg("people.titled", "PERSON", PERSON_TITLED, 0.9, "a name after a title ('Mrs', 'Judge', 'Dr')")
_reg(
    "people.titled_lower",
    "PERSON",
    PERSON_TITLED_LOWER,
    0.8,
    "a name after a title, written in lower case",
)
_reg(
    "people.family",
    "PERSON",
    FAMILY,
    0.7,
    "a family surname ('the Hendersons')",
    validator=_family_validator,
)
