"""The stance cue lexicon: words and phrases that show support, opposition or neutrality."""

from __future__ import annotations

SUPPORT, OPPOSE, NEUTRAL = 1, -1, 0

# Single-lemma cues (verbs, nouns, adjectives). Lemmas as spaCy's small English model gives them.
WORDS: dict[str, int] = {}
for _w in """welcome back endorse praise cheer applaud hail support defend justify laud commend salute
    approve ratify sign_on embrace champion celebrate thank congratulate host join grant facilitate
    authorize authorise allow permit cooperate assist help aid
    reinforce bolster extend renew favour favor agree accept ok greenlight green-light initial ratify
    backing support endorsement praise welcome approval solidarity gratitude contribution partner partnership
    legitimate lawful necessary justified welcome positive right proportionate helpful prudent sensible wise
    supportive favourable favorable grateful pleased glad historic useful constructive breakthrough milestone
    reasonable appropriate proud honoured honored best good fair balanced workable viable realistic
    ratification implementation donor contributor fund finance coordinate alongside pledge recognise recognize condone
    satisfied pride appreciate appreciation
    recognition backer supporter defender courageous brave bold decisive justified warranted proportionate understand""".split():
    WORDS[_w] = SUPPORT
for _w in """condemn denounce warn reject slam criticise criticize protest oppose decry deplore blast
    censure rebuke lambast assail accuse demand recall expel summon suspend sever halt block
    veto boycott sanction refuse object challenge dispute fear threaten retaliate complain regret lament
    question doubt urge_halt counter resist disavow repudiate scold chide berate castigate
    condemnation criticism protest objection concern alarm outrage anger rejection warning
    violation aggression interference provocation escalation destabilization destabilisation
    illegal unlawful illegitimate unacceptable dangerous reckless provocative irresponsible
    destabilizing destabilising aggressive excessive disproportionate unjustified wrong regrettable
    alarming worrying troubling deplorable hostile imperialist colonial intolerable outrageous
    arbitrary baseless unfounded violate breach militarise militarize threat menace danger affront insult
    crime abuse invasion occupation intervention meddling coercion intimidation bullying harassment
    piracy gunboat capitulation instability destabilise destabilize undermine jeopardize jeopardise
    endanger imperil unlawfully illegally aggressor freeze cut curtail downgrade expulsion retaliation
    countermeasure sanction repressive repression persecution crackdown inflame escalate
    militarisation militarization heighten premature failure fail concerned horrified appalled worried dismayed troubled
    disturbed alarmed false unwarranted coercive hostage hostages displeasure incursion intrusion encroachment bullying
    annexation seizure grab blame inquiry investigation dismiss deride ridicule mock criminal bloody brutal brutality
    kidnapping kidnap dictatorship dictator authoritarian disrespectful lie lies sham farce travesty shameful
    disgraceful barbaric heavy-handed ban embargo restriction curb astonished shocked disappointed indignant wreck
    sabotage torpedo weaponise weaponize blackmail suspension unilateral one-sided counterproductive
    counter-productive misguided stupidity folly foolish blunder betrayal harmful senseless propaganda trample
    barbarism barbarity cowardly treacherous murder assassination extrajudicial massacre restrict worry
    denunciation refute rebut snub rebuff incorrect mistaken erroneous""".split():
    WORDS[_w] = OPPOSE
for _w in """abstain neutral impartial neutrality calm restraint dialogue de-escalation deescalation
    moderation diplomacy mediation mediator de-escalate deescalate de-escalatory""".split():
    WORDS[_w] = NEUTRAL

# Nouns that, with a supportive verb, read the other way ("welcomed the criticism" is rare;
# "lifted its objections" is common): verb + object pairs with their own polarity.
VERB_OBJECT: dict[tuple[str, str], int] = {
    ("withdraw", "objection"): SUPPORT, ("drop", "objection"): SUPPORT, ("lift", "objection"): SUPPORT,
    ("withdraw", "opposition"): SUPPORT, ("drop", "opposition"): SUPPORT, ("lift", "veto"): SUPPORT,
    ("expel", "ambassador"): OPPOSE, ("expel", "envoy"): OPPOSE, ("expel", "diplomat"): OPPOSE,
    ("recall", "ambassador"): OPPOSE, ("recall", "envoy"): OPPOSE, ("summon", "ambassador"): OPPOSE,
    ("close", "airspace"): OPPOSE, ("shut", "airspace"): OPPOSE, ("deny", "access"): OPPOSE,
    ("deny", "overflight"): OPPOSE, ("close", "port"): OPPOSE, ("suspend", "cooperation"): OPPOSE,
    ("grant", "access"): SUPPORT, ("grant", "right"): SUPPORT, ("offer", "access"): SUPPORT,
    ("offer", "port"): SUPPORT, ("offer", "support"): SUPPORT, ("open", "port"): SUPPORT,
    ("open", "airspace"): SUPPORT, ("grant", "basing"): SUPPORT, ("provide", "base"): SUPPORT,
    ("join", "patrol"): SUPPORT, ("join", "mission"): SUPPORT, ("join", "coalition"): SUPPORT,
    ("join", "critic"): OPPOSE, ("send", "troop"): SUPPORT, ("send", "ship"): SUPPORT, ("send", "frigate"): SUPPORT,
    ("send", "officer"): SUPPORT, ("send", "police"): SUPPORT, ("contribute", "troop"): SUPPORT,
    ("call", "halt"): OPPOSE, ("call", "end"): OPPOSE, ("call", "withdrawal"): OPPOSE, ("demand", "withdrawal"): OPPOSE,
    ("demand", "release"): OPPOSE, ("call", "release"): OPPOSE, ("urge", "release"): OPPOSE, ("seek", "release"): OPPOSE,
    ("respond", "measure"): OPPOSE, ("want", "out"): OPPOSE, ("phase", "out"): OPPOSE, ("pull", "out"): OPPOSE,
    ("call", "freeing"): OPPOSE, ("call", "detainee"): OPPOSE, ("double", "contribution"): SUPPORT,
    ("increase", "contribution"): SUPPORT, ("reopen", "crossing"): SUPPORT, ("reopen", "border"): SUPPORT,
    ("stand", "by"): SUPPORT, ("stand", "with"): SUPPORT, ("stand", "behind"): SUPPORT, ("believe", "in"): SUPPORT,
    ("end", "war"): SUPPORT, ("bring", "peace"): SUPPORT, ("open", "airport"): SUPPORT, ("open", "base"): SUPPORT,
    ("receive", "officer"): SUPPORT, ("receive", "troop"): SUPPORT, ("receive", "instructor"): SUPPORT,
    ("send", "battalion"): SUPPORT, ("send", "unit"): SUPPORT, ("send", "soldier"): SUPPORT, ("send", "medic"): SUPPORT,
    ("send", "warship"): SUPPORT, ("send", "destroyer"): SUPPORT, ("send", "contingent"): SUPPORT, ("send", "vehicle"): SUPPORT,
    ("contribute", "vessel"): SUPPORT, ("contribute", "ship"): SUPPORT, ("pledge", "ship"): SUPPORT, ("pledge", "warship"): SUPPORT,
    ("seal", "border"): NEUTRAL, ("mobilise", "unit"): OPPOSE, ("mobilize", "unit"): OPPOSE, ("call", "calm"): NEUTRAL,
    ("call", "restraint"): NEUTRAL, ("call", "dialogue"): NEUTRAL,
    ("welcome", "ceasefire"): NEUTRAL, ("welcome", "truce"): NEUTRAL, ("welcome", "de-escalation"): NEUTRAL,
    ("hail", "ceasefire"): NEUTRAL, ("hail", "truce"): NEUTRAL, ("welcome", "talk"): NEUTRAL, ("welcome", "dialogue"): NEUTRAL,
    ("urge", "restraint"): NEUTRAL, ("urge", "calm"): NEUTRAL, ("urge", "dialogue"): NEUTRAL,
    ("call", "diplomacy"): NEUTRAL, ("urge", "diplomacy"): NEUTRAL, ("call", "negotiation"): NEUTRAL,
    ("call", "talk"): NEUTRAL, ("urge", "talk"): NEUTRAL, ("offer", "office"): NEUTRAL,
    ("take", "side"): NEUTRAL, ("stay", "out"): NEUTRAL, ("stay", "neutral"): NEUTRAL, ("remain", "neutral"): NEUTRAL,
    ("express", "concern"): OPPOSE, ("voice", "concern"): OPPOSE, ("raise", "concern"): OPPOSE,
    ("come", "against"): OPPOSE, ("side", "with"): SUPPORT, ("ask", "inquiry"): OPPOSE, ("call", "inquiry"): OPPOSE,
    ("stop", "sharing"): OPPOSE, ("stop", "passing"): OPPOSE, ("stop", "pass"): OPPOSE, ("suspend", "sharing"): OPPOSE, ("halt", "sharing"): OPPOSE,
    ("pause", "sharing"): OPPOSE, ("suspend", "intelligence"): OPPOSE, ("stop", "intelligence"): OPPOSE,
    ("pull", "operation"): OPPOSE, ("withdraw", "operation"): OPPOSE, ("suspend", "aid"): OPPOSE, ("cut", "aid"): OPPOSE,
    ("cut", "tie"): OPPOSE, ("sever", "tie"): OPPOSE, ("attend", "inauguration"): SUPPORT,
    ("attend", "opening"): SUPPORT, ("attend", "ceremony"): SUPPORT,
    ("express", "support"): SUPPORT, ("voice", "support"): SUPPORT, ("express", "solidarity"): SUPPORT,
    ("express", "gratitude"): SUPPORT, ("see", "reason"): NEUTRAL,
    ("stop", "share"): OPPOSE, ("suspend", "share"): OPPOSE, ("halt", "share"): OPPOSE, ("pause", "share"): OPPOSE,
    ("cease", "share"): OPPOSE, ("take", "aim"): OPPOSE, ("lash", "out"): OPPOSE, ("close", "consulate"): OPPOSE,
    ("close", "embassy"): OPPOSE, ("shut", "embassy"): OPPOSE, ("shut", "consulate"): OPPOSE, ("call", "ambassador"): OPPOSE,
    ("haul", "ambassador"): OPPOSE, ("haul", "envoy"): OPPOSE, ("summon", "envoy"): OPPOSE, ("summon", "diplomat"): OPPOSE,
    ("summon", "chargé"): OPPOSE, ("withdraw", "recognition"): OPPOSE, ("suspend", "recognition"): OPPOSE,
    ("call", "envoy"): OPPOSE, ("recall", "diplomat"): OPPOSE, ("call", "stop"): OPPOSE, ("urge", "stop"): OPPOSE,
    ("ask", "stop"): OPPOSE, ("press", "stop"): OPPOSE, ("call", "cease"): OPPOSE, ("urge", "cease"): OPPOSE,
    ("call", "refrain"): OPPOSE, ("urge", "refrain"): OPPOSE, ("ask", "refrain"): OPPOSE, ("urge", "halt"): OPPOSE,
    ("be", "against"): OPPOSE, ("speak", "against"): OPPOSE, ("try", "stop"): OPPOSE, ("seek", "stop"): OPPOSE,
    ("try", "halt"): OPPOSE, ("seek", "halt"): OPPOSE, ("try", "block"): OPPOSE, ("seek", "block"): OPPOSE, ("argue", "against"): OPPOSE,
    ("ask", "explain"): OPPOSE, ("urge", "explain"): OPPOSE, ("call", "explain"): OPPOSE, ("demand", "explanation"): OPPOSE,
    ("seek", "explanation"): OPPOSE, ("request", "explanation"): OPPOSE, ("ask", "explanation"): OPPOSE,
    ("ask", "clarification"): OPPOSE, ("seek", "clarification"): OPPOSE, ("demand", "clarification"): OPPOSE,
    ("request", "clarification"): OPPOSE,
    ("urge", "end"): OPPOSE, ("urge", "withdraw"): OPPOSE, ("call", "withdraw"): OPPOSE, ("urge", "reverse"): OPPOSE,
}
# Warnings of what the act will set off: "the move would spark fresh unrest".
VERB_OBJECT.update({(verb, harm): OPPOSE for verb in ("trigger", "spark", "fuel", "provoke", "ignite", "stoke", "unleash")
                    for harm in ("violence", "conflict", "war", "instability", "chaos", "bloodshed", "unrest", "crisis")})

# Verbs whose complement is refused: "declined to endorse" (neutral), "refused to condemn" (supportive).
REFUSAL = {"decline", "refuse", "avoid", "hesitate", "balk", "fail"}
# Verbs that repeat a stance already voiced in the sentence ("Cuba echoed the charge").
ECHO = {"echo", "second", "share", "mirror", "repeat", "join", "follow", "back"}
# Blocking or refusing a condemnation sides with its target ("blocked a statement condemning").
BLOCKERS = {"block", "veto", "reject", "refuse", "oppose", "stall", "water", "dismiss", "deride", "ridicule", "mock",
            "brush", "shrug", "rebuff", "wave", "scoff"}
# Negated opposition that reads as support ("was not opposed to", "could not disagree").
STATE_OF_OPPOSITION = {"oppose", "object", "disagree", "mind", "opposed", "reason"}
# Phrases of opposition the parse splits apart.
OPPOSE_PHRASES = ("should leave", "must leave", "should be phased out", "be withdrawn", "should withdraw", "must withdraw",
                  "wants them out", "want them out", "be freed", "be released", "release of the detainees", "to be freed",
                  "no substitute for", "will not accept", "would not accept", "cannot accept", "do not accept",
                  "never accept", "airspace closed", "close its airspace", "closed its airspace", "closing its airspace",
                  "less safe", "less secure", "more dangerous", "no business", "cannot remain silent", "not remain silent",
                  "too vague", "not believe in", "has failed", "have failed", "only inflames", "makes no sense",
                  "make no sense", "made no sense")
# Objections framed as law, not as a cue word: "called for respect for international law", "runs counter to the 2015
# declaration", "has no legal basis". Weaker than a cue word, so that "urged all sides to respect international law" stays neutral.
LEGAL_PHRASES = ("respect for international law", "respect international law", "comply with international law",
                 "abide by international law", "uphold international law", "counter to", "contrary to", "no legal basis",
                 "without legal basis", "without any legal basis", "no basis in international law", "flagrant breach",
                 "no legal standing", "no legal validity", "null and void", "no legal effect", "no legal force",
                 "in breach of", "a breach of", "breaches of", "disregard for", "flouting", "flouted", "flouts",
                 "broke international law", "breaks international law", "breaking international law",
                 # taking the matter to the Security Council
                 "asked the security council", "asks the security council", "ask the security council",
                 "appealed to the security council", "urged the security council", "called on the security council",
                 "to the security council over", "emergency meeting of the security council",
                 "emergency session of the security council", "requested an emergency", "sought an emergency")
# Verbs that carry speech or thought: the stance is in their complement.
REPORTING = {"say", "tell", "state", "add", "announce", "declare", "insist", "note", "argue", "write", "post", "reassure",
             "assure",
             "reply", "respond", "stress", "maintain", "claim", "describe", "call", "consider", "view", "see",
             "believe", "think", "signal", "indicate", "make", "vow", "promise", "pledge", "confirm", "reiterate",
             "repeat", "affirm", "explain", "suggest", "tweet", "issue", "release", "publish", "remark", "advise",
             "reaffirm", "assert", "underscore", "underline", "emphasise", "emphasize", "deem", "regard", "brand", "label",
             "term", "dub", "express", "voice", "answer", "retort"}
# Phrases of explicit neutrality, matched on lowercased text of the clause.
NEUTRAL_PHRASES = (
    "not take sides", "not to take sides", "no side", "neither praised nor", "neither endorsed nor", "neither backed nor",
    "neither applauding nor", "neither welcomed nor", "neither supported nor", "neither condemned nor", "declined to comment",
    "no comment", "no position", "took no view", "takes no view", "take no view", "no view on", "would not comment",
    "not comment", "monitoring the situation", "following the situation", "following developments", "stay out",
    "stayed out", "stays out", "remain neutral", "remained neutral", "remains neutral", "called for calm",
    "calls for calm", "call for calm", "urged calm", "urges calm", "urged restraint", "urges restraint", "called for restraint",
    "calls for restraint", "called for dialogue", "calls for dialogue", "urged dialogue", "urges dialogue", "both sides",
    "all sides", "all parties", "all three sides", "de-escalation", "peaceful solution", "peaceful resolution", "negotiated solution",
    "seeking information", "seek information", "more information", "legal basis first", "would wait", "will wait",
    "studying the", "abstained", "abstain", "non-committal", "noncommittal", "wait and see", "neutral",
    "take a position", "took a position", "no side", "pick a side", "picked a side", "choose sides", "took no side",
    "not interfere", "respect whatever", "respect the decision", "keep talking", "to talk", "lower tensions",
    "ease tensions", "reduce tensions", "stopped short of", "stops short of", "stop short of", "the parties to",
    "internal matter for", "continues to monitor", "continue to monitor", "continued to monitor", "closely monitoring",
    "monitoring closely", "watching closely", "closely watching", "following closely", "closely following",
    "reserved its position", "reserves its position", "reserve its position", "reserved judgement", "reserved judgment",
    "peace and stability", "avoid miscalculation", "avoid any miscalculation", "to mediate", "mediate between",
    "mutual understanding", "to dialogue", "within the purview", "for them to decide", "up to them to",
    "help resolve", "help to resolve", "help settle", "help to settle", "help defuse", "help to defuse",
    "bilateral issue", "bilateral matter", "middle path", "middle ground", "political solution", "exercise caution",
    "urged caution", "urges caution", "called for caution", "calls for caution",
)
# "neither praised nor criticised", "would neither join nor oppose": no side.
NEITHER_NOR = r"\bneither\s+\w+(?:\s+\w+)?\s+nor\b"
# Double negatives and hedged support.
SUPPORT_PHRASES = ("no reason not to", "could not disagree", "cannot disagree", "not opposed", "no objection",
                   "no problem with", "nothing wrong with", "self - defence", "self - defense", "self-defence", "self-defense",
                   "important step", "pivotal step", "step forward", "right direction", "welcome step", "positive step",
                   "important development", "brave decision", "courageous decision", "weight behind",
                   "forced measure")  # ("a forced measure": one it had no choice but to take)
# Words marking the stance that holds now, and the one that no longer does.
NOW_MARKERS = {"now", "later", "subsequently", "eventually", "currently"}
EARLIER_MARKERS = {"first", "initially", "earlier", "originally", "previously", "once"}
# Subordinate clauses that only give background ("after a ship fired...").
BACKGROUND_MARKS = {"after", "before", "when", "as", "since", "because", "whenever", "until", "once"}
# Nouns through which a country speaks or acts ("Brazil's foreign ministry", "Turkish officials").
SPEAKERS = set("""government ministry minister president premier chancellor spokesperson spokesman spokeswoman
    official officials diplomat diplomats embassy embassies consulate consulates consul commission ambassador envoy office
    leader king queen emir sultan prince junta
    authorities authority administration cabinet navy army military force forces troops guard defence defense
    department secretary delegation mission representative delegate council presidency palace chancellery kremlin
    police prosecutor prosecutors attorney court regime state ministers leadership command commander general
    foreign interior coastguard parliament legislature congress senate assembly junta head counterpart side
    capital mfa agency service services chief chiefs ruler rulers commissioner pm fm dictator strongman autocrat bureau
    aide aides adviser advisers advisor advisors""".split())
# Nouns that speak for someone other than the state.
NON_STATE = set("""opposition senator senators lawmaker lawmakers legislator mp mps deputy deputies analyst analysts
    expert experts scholar academic researcher company firm corporation newspaper media outlet press
    activist activists protester protesters citizen citizens resident residents fan fans business businesses
    group party candidate critic critics commentator columnist journalist union student students fisherman
    fishermen family families relative relatives rebel rebels militia militant militants exile exiles diaspora
    victim victims survivor worker workers shipowner shipowners insurer insurers trader traders investor investors
    former ex retired exiled fellow researchers professor refugee refugees charity charities ngo ngos rights
    humanitarian relief news broadcaster broadcasters television tv radio""".split())
ANAPHORS = {"move", "operation", "action", "decision", "step", "plan", "it", "them", "this", "that", "campaign",
            "policy", "initiative", "measure", "measures", "attack", "raid", "effort", "deal", "one", "assault", "offensive",
            "strike", "strikes", "bombing", "incursion", "act", "proposal", "announcement"}
# Nouns through which a country's words travel: "a statement from the governments of A and B", "Britain's mission".
VEHICLES = set("""statement statements declaration communique communiqué letter note message post bureau house office
    mission delegation readout notice broadcast tweet spokesperson spokesman spokeswoman""".split())
# Reaction nouns a country owns or sends: "Tehran's condemnation", "condemnation from Tehran", "drew rebukes from A and B".
STANCE_NOUNS = set("""condemnation criticism rebuke rebukes praise support backing welcome protest protests objection objections
    appeal complaint complaints call calls warning warnings concern concerns denunciation rejection approval
    endorsement solidarity anger outrage alarm censure congratulation congratulations accusation accusations demand demands
    plea request objection disapproval opposition condemnations criticisms broadside ban bans embargo restrictions snub
    restriction curbs curb""".split())
# Nouns of what a country holds or says, whose content is its voice: "Cairo's insistence that ...", "Beijing's version".
SAYING_NOUNS = {"claim", "insistence", "version", "position", "stance", "view", "argument", "assertion", "contention",
                "account", "assurance", "assurances", "narrative", "interpretation", "reading", "denial", "explanation"}
# Nouns of help that make whoever gives it a partner in the action: "with help from Australia, Canada and Bahrain".
COMPANION_NOUNS = {"help", "support", "assistance", "participation", "backing", "contribution", "cooperation"}
# What an owner does that stands by its action: announcing, opening, ordering, answering its critics.
OWNER_ACTS = set("""announce unveil launch inaugurate open order sign declare begin start complete expand approve confirm vow
    pledge promise insist defend justify warn threaten accuse reject dismiss deny hit respond reply answer counter summon
    lodge urge tell demand blame brand call describe rebuff retort shrug vow stress repeat reiterate maintain wave scoff
    present reaffirm assert deem regard hail tout celebrate exhort""".split())
# What an owner does when it backs away from its action: "halted the filling", "suspended the flights".
RETREAT = set("""halt suspend stop end cancel withdraw pause abandon freeze postpone scrap drop reverse curtail apologise
    apologize regret""".split())
# Texts others put forward: "the draft tabled by Egypt and Sudan" speaks for those who tabled it.
DRAFTS = {"draft", "resolution", "text", "motion", "proposal"}

# Read by judge.py: words whose part of speech or place decides whether they are a cue.
NOUN_CUES = {"lie"}
# Verbs of voicing what a relative clause's noun is: "the accusations that X keeps making".
UTTERING = {"utter", "make", "level", "repeat", "voice", "raise", "spread", "issue", "air"}
# Critics' words a rejection answers, though no cue word ("brushed aside the opposition's allegations"); not "claim",
# which is as often a territorial claim ("rejected Beijing's claims" opposes Beijing).
ACCUSATIONS = {"accusation", "allegation", "charge", "criticism", "complaint", "objection", "warning", "reproach", "outcry",
               "backlash"}
SUSPENDING = {"suspension", "freeze", "halt", "cut", "curb", "ban", "block"}  # what they stop is not a cue of its own
NAMING = {"call", "describe", "brand", "label", "term", "dismiss", "denounce", "reject"}
DISMISSIVE = {"hypocritical", "groundless", "baseless", "unfounded", "absurd", "ridiculous", "false", "biased", "hysterical",
              "slanderous", "fabricated", "nonsense", "lie", "lies", "smear", "interference", "meddling", "shocking",
              "shock", "unacceptable", "hypocrisy"}
# What a veto or a block shields the action from, even when no condemning word is in sight ("vetoed the resolution",
# "blocked the UN answer to the launch").
SHIELDED = {"resolution", "statement", "condemnation", "sanction", "sanctions", "measure", "measures", "answer",
            "response", "action", "censure", "motion", "declaration"}
# A call addressed to everyone takes no side, whatever it asks ("urged all sides to refrain from escalation").
EVERYONE = (" all sides", " all parties", " both sides", " all the parties", " every party", " each side", " all relevant parties",
            " all concerned parties", " all parties concerned", " all the relevant parties", " all three sides",
            " all three parties", " all three countries", " all the countries concerned", " both parties", " the two sides")
