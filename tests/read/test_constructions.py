"""Constructions of real reporting the reader must read (our own sentences, each shaped like a real report's).

Each case holds one rule: removing the rule makes its case fail.
"""

from __future__ import annotations

import pytest

from bot.read.judge import judge_clause
from bot.read.nlp import load_nlp, sentence_case
from bot.read.reader import StanceReader

pytestmark = pytest.mark.model

CARIBBEAN = ("the US naval deployment and strikes in the Caribbean", (
    "US naval activity in the Caribbean", "US warships and strikes on drug boats near Venezuela"), ("USA",), ("VEN",))
SAHEL = ("the deployment of Russian military forces in the Sahel", (
    "Russian military contractors in the Sahel", "Russian instructors arrive in Bamako"), ("RUS",), None)
TAIWAN = ("China's military drills around Taiwan", ("Chinese military drills around Taiwan",
                                                    "PLA exercises encircle the island"), ("CHN",), ("TWN",))
SCS = ("China's coast guard actions against Philippine vessels in the South China Sea", (
    "China-Philippines confrontations at sea", "Chinese coast guard fires water cannon at a Philippine boat"), ("CHN",), ("PHL",))
NILE = ("Ethiopia's filling of its dam on the Blue Nile", ("The Nile dam dispute",
                                                          "Ethiopia fills the reservoir of its dam"), ("ETH",), ("EGY", "SDN"))
ESSEQUIBO = ("Venezuela's claim to the Essequibo region", ("Venezuela's claim to the Essequibo",
                                                           "Caracas presses its claim on Guyana's territory"), ("VEN",), ("GUY",))
DOHA = ("Israel's air strike on Hamas leaders in Doha", ("Israel strikes Hamas leaders in Qatar",
                                                         "Israeli jets hit Hamas offices in Doha"), ("ISR",), ("QAT",))
ARRESTS = ("the Venezuelan government's arrests of opposition figures", (
    "Venezuela arrests opposition leaders", "Venezuelan police detain an opposition campaign chief"), ("VEN",), None)
RED_SEA = ("the US and allied strikes on the Houthis in Yemen", ("US strikes on the Houthis",
                                                                "Allied strikes on Houthi targets in Yemen"), ("USA", "GBR"), None)

KOSOVO = ("Serbia's military buildup on the Kosovo border", ("Serbian troops massed near Kosovo",
                                                           "Serbia moves armour toward the boundary with Kosovo"), ("SRB",), ("XKX",))
DRONES = ("Russian drones violating Polish airspace", ("Russian drones enter Polish airspace",
                                                      "Poland shoots down Russian drones"), ("RUS",), ("POL",))
IRAN = ("Israel's strikes on Iran", ("Israeli strikes on Iranian nuclear sites", "Israel hits targets in Iran"), ("ISR",), ("IRN",))

PALESTINE = ("the recognition of a Palestinian state", ("Countries recognise the State of Palestine",
                                                       "Western governments move to recognise Palestine"), None, None)
EXPULSIONS = ("Pakistan's expulsion of Afghan migrants", ("Pakistan deports undocumented Afghans",
                                                         "Afghans forced out of Pakistan"), ("PAK",), ("AFG",))
FUKUSHIMA = ("Japan's discharge of treated Fukushima water into the sea", (
    "Fukushima treated water discharge", "Japan releases wastewater into the Pacific"), ("JPN",), None)
REMARKS = ("Prime Minister Takaichi's remarks on a Taiwan contingency", (
    "Takaichi's Taiwan remarks and the row with China", "China demands Japan retract Taiwan comments"), ("JPN",), ("CHN",))

SNAPBACK = ("the E3's snapback of UN sanctions on Iran", (
    "Britain, France and Germany trigger the return of UN sanctions on Iran", "UN sanctions on Iran snap back"),
    ("GBR", "FRA", "DEU"), ("IRN",))
DRC = ("Rwanda's military support for the M23 rebels in eastern Congo", (
    "Rwanda backs M23 rebels in Congo", "M23 fighters supported by Rwandan troops seize Goma"), ("RWA",), ("COD",))

KARABAKH = ("Azerbaijan's military offensive in Nagorno-Karabakh", (
    "Azerbaijan launches an offensive in Karabakh", "Azerbaijani forces attack Karabakh Armenians"), ("AZE",), ("ARM",))

INDUS = ("India's suspension of the Indus treaty with Pakistan", ("India suspends the Indus water-sharing pact",
                                                           "Pakistan protests the treaty's suspension"), ("IND",), ("PAK",))
WSAHARA = ("Morocco's sovereignty and autonomy plan for Western Sahara", (
    "Countries back Morocco's autonomy plan for Western Sahara", "Algeria protests recognition of Moroccan sovereignty"),
    ("MAR",), None)
DONBAS = ("Russia's recognition of the separatist republics in eastern Ukraine", (
    "Moscow recognises the breakaway Donetsk and Luhansk republics", "Sanctions follow Russia's recognition of the regions"),
    ("RUS",), ("UKR",))
BLOCKADE = ("the boycott of Qatar by Saudi Arabia, Egypt, the UAE and Bahrain", (
    "Gulf states and Egypt cut ties with Qatar", "Qatar isolated as neighbours close borders and airspace"),
    ("SAU", "ARE", "BHR", "EGY"), ("QAT",))
HONG_KONG = ("the security law China imposed on Hong Kong", ("Beijing imposes a security law on Hong Kong",
                                                            "Hong Kong national security law takes effect"), ("CHN",), None)
SYRIA = ("Turkey's military offensive in northeast Syria", ("Turkish troops push into northeast Syria",
                                                           "Europe halts arms sales over Turkey's Syria incursion"), ("TUR",), ("SYR",))
LITHUANIA = ("China's trade and diplomatic pressure on Lithuania", ("China squeezes Lithuania over Taiwan office",
                                                                   "Beijing blocks Lithuanian goods at customs"), ("CHN",), ("LTU",))
SOMALILAND = ("Ethiopia's port deal with Somaliland", ("Ethiopia signs a sea access deal with Somaliland",
                                                      "Somalia rejects Ethiopia's port accord with Somaliland"), ("ETH",), ("SOM",))
RYANAIR = ("Belarus forcing a passenger jet down in Minsk and detaining a dissident who was aboard", (
    "Belarus forces an airliner to land and arrests a blogger", "Europe bans Belarusian flights after the diversion"),
    ("BLR",), None)
ANNEX = ("Israel's plan to annex parts of the West Bank", ("Israel vows to annex the Jordan Valley",
                                                          "Arab states warn against West Bank annexation"), ("ISR",), ("PSE",))

IRAN_DEAL = ("the US exit from the 2015 nuclear accord with Iran", ("Washington quits the nuclear agreement with Tehran",
                                                                    "European capitals try to rescue the accord once the US leaves"),
             ("USA",), ("IRN",))
PAHALGAM = ("India's strikes on Pakistan after the Pahalgam attack", ("Indian missiles hit targets in Pakistan",
                                                                      "India strikes militant camps across the border"),
            ("IND",), ("PAK",))
CANADA_ROW = ("Saudi Arabia's measures against Canada", ("Riyadh expels Canada's ambassador and freezes trade",
                                                         "Saudi Arabia punishes Canada over human rights criticism"),
              ("SAU",), ("CAN",))
GUAIDO = ("the recognition of Juan Guaidó as Venezuela's interim president", (
    "Washington recognises Guaidó as Venezuela's leader", "European governments back Guaidó as interim president"), ("USA",), ("VEN",))
KASHMIR = ("India's revocation of Kashmir's special status", ("New Delhi strips Kashmir of its autonomy",
                                                              "Islamabad protests the end of Kashmir's special status"), ("IND",), None)
CRIMEA = ("Russia's annexation of Crimea", ("Moscow annexes Crimea after a referendum", "Western states reject the Crimea annexation"),
          ("RUS",), ("UKR",))
XINJIANG = ("China's treatment of Uyghurs in Xinjiang", ("Beijing's camps in Xinjiang",
                                                        "Western governments criticise China over Xinjiang"), ("CHN",), None)
JERUSALEM = ("the US recognition of Jerusalem as Israel's capital", ("Washington moves its embassy to Jerusalem",
                                                                     "Arab states protest the US decision on Jerusalem"), ("USA",), None)
BELARUS_BORDER = ("Belarus pushing migrants toward the EU's borders", ("Minsk flies in migrants and sends them to the Polish border",
                                                                        "Warsaw accuses Belarus of a hybrid attack"),
                  ("BLR",), ("POL", "LTU", "LVA"))

@pytest.fixture(scope="module")
def reader(real_embedder, gaz):
    return StanceReader(nlp=load_nlp(), gaz=gaz, embedder=real_embedder)


def read(reader, text, topic):
    target, texts, owners, rivals = topic
    return {s.country: s.label for s in reader.find(text, reader.topic(target, texts, owners=owners, rivals=rivals))}


CASES = [
    # who speaks: a pronoun carries the previous sentence's speaker; a group's signatories; misparsed envoys
    (CARIBBEAN, "Nicolás Maduro spoke on state television on Monday. He accused Washington of plotting an invasion "
                "with its warships in the Caribbean.", {"VEN": "opposed"}),
    (SAHEL, "Fifteen countries condemned the deployment of Russian mercenaries in Mali. In a statement signed by France, "
            "Germany and Canada, they said they knew Moscow was supplying the fighters.",
     {"FRA": "opposed", "DEU": "opposed", "CAN": "opposed"}),
    (SCS, "Japan's ambassador said harassment at sea would not be tolerated, and the envoys of Germany, Australia and "
          "Britain called for respect for international law.",
     {"JPN": "opposed", "DEU": "opposed", "AUS": "opposed", "GBR": "opposed"}),
    (NILE, "Sudan had not reacted by evening. In Cairo, the foreign ministry posted that the filling of the dam broke "
           "international law.", {"EGY": "opposed"}),
    (NILE, "Ethiopia's claim that the dam harms no one downstream is simply false, Egypt's foreign ministry said.",
     {"ETH": "supportive", "EGY": "opposed"}),
    (RED_SEA, "Joint statement: the American and British militaries, with help from the Netherlands and Canada, "
              "carried out further strikes on Houthi targets in Yemen.",
     {"USA": "supportive", "GBR": "supportive", "NLD": "supportive", "CAN": "supportive"}),
    (NILE, "Somalia's president flew in for the inauguration of the dam alongside Kenya's William Ruto.",
     {"SOM": "supportive", "KEN": "supportive"}),
    (TAIWAN, "We, the foreign ministers of Japan, South Korea and Australia, express grave concern over China's "
             "large-scale military drills around Taiwan.", {"JPN": "opposed", "KOR": "opposed", "AUS": "opposed"}),
    (TAIWAN, "Japan condemned China's drills around Taiwan. Britain did the same.", {"JPN": "opposed", "GBR": "opposed"}),
    (SCS, "The statement was backed by the governments of France, Germany and Italy, which condemned China's "
          "dangerous manoeuvres near the shoal.", {"FRA": "opposed", "DEU": "opposed", "ITA": "opposed"}),
    (TAIWAN, "The United States and Japan were among the countries that condemned the drills around Taiwan.",
     {"USA": "opposed", "JPN": "opposed"}),
    (NILE, "Egypt and Sudan met in Cairo on Monday. The two governments rejected Ethiopia's decision to fill the dam.",
     {"EGY": "opposed", "SDN": "opposed"}),
    (TAIWAN, "Several governments, such as Japan and Australia, condemned the drills around Taiwan.",
     {"JPN": "opposed", "AUS": "opposed"}),
    (TAIWAN, "Countries like Japan and Australia condemned the drills around Taiwan.", {"JPN": "opposed", "AUS": "opposed"}),
    (TAIWAN, "China and Russia vetoed a resolution drafted by the United States that would have condemned the drills "
             "around Taiwan.", {"USA": "opposed", "RUS": "supportive"}),
    (TAIWAN, "A joint statement condemned the drills around Taiwan. The signatories were Japan and Australia.",
     {"JPN": "opposed", "AUS": "opposed"}),
    # what it says, relative to the target
    (SCS, "The Philippines welcomed the tribunal's ruling against Beijing's sweeping claims in the South China Sea.",
     {"PHL": "opposed"}),
    (TAIWAN, "Russia voted against a resolution condemning the Chinese drills around Taiwan.", {"RUS": "supportive"}),
    (CARIBBEAN, "Moscow restated its firm backing for Venezuela in the face of the US naval buildup in the Caribbean.",
     {"RUS": "opposed"}),
    (ESSEQUIBO, "Venezuela does not recognise the court's jurisdiction over its claim to the Essequibo, the foreign "
                "ministry said.", {"VEN": "supportive"}),
    (ESSEQUIBO, "The United States, in a separate statement, again backed Guyana's sovereignty over the Essequibo.",
     {"USA": "opposed"}),
    (CARIBBEAN, "Colombia will stop sharing intelligence with Washington while the US strikes in the Caribbean go on, "
                "Gustavo Petro announced.", {"COL": "opposed"}),
    (CARIBBEAN, "Cuba's foreign minister dismissed the US naval deployment near Venezuela as a criminal operation.",
     {"CUB": "opposed"}),
    (SAHEL, "Bamako dismissed as \"baseless\" the criticism of its Russian partners.", {"MLI": "supportive"}),
    (NILE, "Egypt asked the UN Security Council to intervene over the Ethiopian dam.", {"EGY": "opposed"}),
    (RED_SEA, "Oman said it could not condone the strikes on Yemen.", {"OMN": "opposed"}),
    (TAIWAN, "Taiwan must not be cowed, and China has to stop the drills at once, Australia's foreign minister said.",
     {"AUS": "opposed", "CHN": None}),
    (TAIWAN, "Japan and Australia backed Taipei, while Vanuatu and Tuvalu are against the drills around Taiwan.",
     {"VUT": "opposed", "TUV": "opposed"}),
    (TAIWAN, "Seoul asked Beijing to explain why the drills around Taiwan had been extended.", {"KOR": "opposed"}),
    (TAIWAN, "The exercises around Taiwan had to end immediately, Germany's chancellor said.", {"DEU": "opposed"}),
    (TAIWAN, "The drills around Taiwan were reckless, Annalena Baerbock, Germany's foreign minister, said.",
     {"DEU": "opposed"}),
    (TAIWAN, "Russia and China block UN answer to the drills around Taiwan.", {"RUS": "supportive"}),
    (TAIWAN, "Russia's UN envoy Vasily Nebenzia called the criticism of the drills around Taiwan hypocritical.",
     {"RUS": "supportive"}),
    (TAIWAN, "NATO Secretary General Jens Stoltenberg condemned the drills around Taiwan.", {"NOR": None}),
    (NILE, "Cairo: Ethiopia's dam filling is 'unacceptable'.", {"EGY": "opposed"}),
    (SAHEL, "Western officials have tried to stop the deployment of Russian mercenaries, and German officials tried to "
            "block it too.", {"DEU": "opposed"}),
    (TAIWAN, "Washington urged Beijing to exercise restraint after the drills around Taiwan.", {"USA": "opposed"}),
    (SCS, "The United States stands with its Philippine allies in the face of China's dangerous actions at sea, the "
          "State Department said.", {"USA": "opposed"}),
    (CARIBBEAN, "China said the unilateral US action against boats in the Caribbean goes beyond reasonable limits and "
                "infringes on the right to life.", {"CHN": "opposed"}),
    (NILE, "The State Department announced a partial suspension of aid to Ethiopia over the filling of the dam.",
     {"USA": "opposed"}),
    (SAHEL, "Mali's government spokesman brushed aside the allegations against its Russian partners.",
     {"MLI": "supportive"}),
    (NILE, "Kenya's president said he was satisfied with the filling of the Ethiopian dam.", {"KEN": "supportive"}),
    (SAHEL, "National security adviser Jake Sullivan voiced concern about the deployment of Russian mercenaries in "
            "the Sahel.", {"USA": "opposed"}),
    (NILE, "Egypt said the one-sided filling of the dam would harm millions downstream.", {"EGY": "opposed"}),
    # no side, or no stance at all
    (TAIWAN, "The G7 foreign ministers delivered an unusually strong rebuke of Beijing over the drills around Taiwan.",
     {"CHN": None}),
    (TAIWAN, "Japan urged all sides to exercise restraint after the drills around Taiwan.", {"JPN": "neutral"}),
    (TAIWAN, "China's embassy in Tokyo said the drills around Taiwan were a legitimate response to provocation.",
     {"CHN": "supportive", "JPN": None}),
    (TAIWAN, "China must halt the drills around Taiwan at once, Germany's foreign minister said.",
     {"DEU": "opposed", "CHN": None}),
    (CARIBBEAN, "Brazil declined to condemn the US naval deployment in the Caribbean.", {"BRA": "neutral"}),
    (CARIBBEAN, "Canada continues to monitor the US military deployment in the Caribbean, a spokesperson said.",
     {"CAN": "neutral"}),
    (CARIBBEAN, "Peru reserved its position on the US strikes in the Caribbean.", {"PER": "neutral"}),
    (CARIBBEAN, "Venezuela and Cuba condemned the buildup as interference. The White House did not respond.",
     {"VEN": "opposed", "CUB": "opposed", "USA": None}),
    (TAIWAN, "Japan's top spokesman said Tokyo was concerned, as China opened new drills around the island of Taiwan.",
     {"JPN": "opposed", "CHN": None}),
    # session 5: datelines, reactions named one by one, asks to back down, what is feared, ceasefires
    (SAHEL, "BAMAKO — The foreign minister told reporters that the government welcomed the Russian instructors.",
     {"MLI": "supportive"}),
    (SAHEL, "NIAMEY — The leaders of the Sahel States Confederation — Mali, Burkina Faso and Niger — condemned 'with the "
            "utmost vigour' the presence of Russian instructors, in a communiqué read on television.",
     {"MLI": "opposed", "BFA": "opposed", "NER": "opposed"}),
    (TAIWAN, "China's drills around Taiwan drew concern from Tokyo and Canberra and open backing from Moscow.",
     {"JPN": "opposed", "AUS": "opposed", "RUS": "supportive"}),
    (CARIBBEAN, "Condemnation of the US strikes in the Caribbean came on Sunday from Colombia and Mexico.",
     {"COL": "opposed", "MEX": "opposed"}),
    (TAIWAN, "The council met on Friday. The US envoy read out a joint statement calling on members to condemn the "
             "drills around Taiwan. Its signatories were Britain, France and Japan.",
     {"GBR": "opposed", "FRA": "opposed", "JPN": "opposed"}),
    (TAIWAN, "Germany appealed to China on Sunday to scale down its drills around Taiwan.", {"DEU": "opposed"}),
    (TAIWAN, "Germany urged Beijing to pull back the warships it sent for the drills around Taiwan.", {"DEU": "opposed"}),
    (CARIBBEAN, "Britain has stopped passing intelligence on drug boats to Washington out of concern that it could help "
                "select targets for the US strikes in the Caribbean.", {"GBR": "opposed"}),
    (RED_SEA, "Kuwait and Qatar welcomed the ceasefire between Washington and the Houthis that Oman brokered.",
     {"KWT": "neutral", "QAT": "neutral"}),
    (TAIWAN, "China sent more warships around Taiwan on Thursday despite concerns from its neighbours.", {"CHN": None}),
    (TAIWAN, "Berlin warned against escalation, saying it was important for China to cut the number of ships it had "
             "sent around Taiwan.", {"CHN": None, "DEU": "opposed"}),
    (DOHA, "Pakistan's prime minister pledged full solidarity with Qatar after the Israeli strike on Doha.",
     {"PAK": "opposed"}),
    (DOHA, "Madrid's foreign ministry said the Israeli strike on Doha trampled on Qatar's sovereignty.", {"ESP": "opposed"}),
    (TAIWAN, "China waved away Japan's complaints about the drills around Taiwan.", {"CHN": "supportive"}),
    (TAIWAN, "China declined to take back its announcement of the drills around Taiwan.", {"CHN": "supportive"}),
    (TAIWAN, "China's defence ministry refused to say how long the drills around Taiwan would last.", {"CHN": None}),
    (TAIWAN, "Japan called the first signs of a Chinese pullback from the drills around Taiwan an important step.",
     {"JPN": "opposed"}),
    (NILE, "Kenya called Ethiopia's filling of the dam an important step for the region.", {"KEN": "supportive"}),
    (TAIWAN, "The G7's foreign ministers said they were deeply concerned by China's drills around Taiwan. The statement, "
             "issued by Japan, Canada and Germany, followed the largest exercise yet. China's military said the drills "
             "had met their goals.", {"JPN": "opposed", "CAN": "opposed", "DEU": "opposed", "CHN": "supportive"}),
    (RED_SEA, "Last month the US and British militaries, backed by New Zealand, the Netherlands and Canada, hit more "
              "Houthi targets in Yemen.", {"NZL": "supportive", "NLD": "supportive", "CAN": "supportive"}),
    (TAIWAN, "China's drills around Taiwan, backed by Russia and Cambodia, went on for a third day.",
     {"RUS": "supportive", "KHM": "supportive"}),
    (TAIWAN, "The State Department called the drills around Taiwan unwarranted and urged restraint.", {"USA": "opposed"}),
    (NILE, "Armen Grigorian, who heads Egypt's Security Council, said the filling of the dam was unacceptable.",
     {"EGY": "opposed"}),
    (NILE, "Abdul Haqqani, who speaks for the ministry of water in Cairo, rejected the filling of the dam.",
     {"EGY": "opposed"}),
    # in the presence of: behind the statement issued, or beside the one acting
    (DOHA, "The final statement, issued in the presence of Kuwait's crown prince and Oman's deputy prime minister, "
           "condemned the Israeli strike on Doha.", {"KWT": "opposed", "OMN": "opposed"}),
    (NILE, "Ethiopia opened the dam in the presence of the presidents of Kenya and Somalia.",
     {"ETH": "supportive", "KEN": "supportive", "SOM": "supportive"}),
    # read on real reports (session 6): a quoted speaker, demands for clarification, "along with", an unnamed ally,
    # tension between two sides, a quotation that goes on, the owner's right, advice about another, watching
    (NILE, "Ethiopia's water minister was quoted by a state daily as saying the dam was now a fact that no one could change.",
     {"ETH": "supportive"}),
    (TAIWAN, "Australia sought clarification from Beijing about the live-fire zones of the drills around Taiwan.",
     {"AUS": "opposed"}),
    (SCS, "Manila, along with its ally Australia, condemned the coast guard's use of water cannon.",
     {"PHL": "opposed", "AUS": "opposed"}),
    (SCS, "Washington said it stood ready to defend its treaty ally if Philippine ships came under attack at the shoal.",
     {"USA": "opposed"}),
    (ESSEQUIBO, "Brazil's foreign ministry voiced concern about the rising tension between Caracas and Georgetown on the "
                "Essequibo.", {"BRA": "neutral"}),
    (TAIWAN, "'Taiwan is part of China,' Kremlin spokesman Dmitry Peskov told reporters about the drills. 'Beijing has "
             "every right to hold exercises on its own territory.'", {"RUS": "supportive", "CHN": None}),
    (TAIWAN, "Russia's foreign ministry said Beijing had every right to hold the drills around Taiwan.", {"RUS": "supportive"}),
    (ESSEQUIBO, "Barbados's foreign minister said Caracas had no right to annex the Essequibo.", {"BRB": "opposed"}),
    (TAIWAN, "China's foreign ministry said the drills around Taiwan were routine and advised that Tokyo ought to keep "
             "calm.", {"CHN": "supportive", "JPN": None}),
    (TAIWAN, "Indonesia's foreign ministry said it was tracking the exercises near Taiwan with keen interest.",
     {"IDN": "neutral"}),
    (SCS, "The Chinese coast guard said it had driven the Philippine boats away lawfully.", {"CHN": "supportive"}),
    (ESSEQUIBO, "On Monday the Maduro government reaffirmed that no court could decide the fate of the Essequibo.",
     {"VEN": "supportive"}),
    (ESSEQUIBO, "Venezuela presented its case for owning the Essequibo to the court on Monday.", {"VEN": "supportive"}),
    (TAIWAN, "Philippines, Japan voice alarm over Chinese drills near Taiwan", {"PHL": "opposed", "JPN": "opposed"}),
    (ESSEQUIBO, "Guyana's president says Venezuela's vote on the Essequibo is null and void, vows to defend every inch of "
                "territory", {"GUY": "opposed"}),
    (NILE, "Addis Ababa — 'The filling of the dam is a standing threat to the whole basin,' says a joint statement from "
           "Cairo and Khartoum published on Wednesday.", {"EGY": "opposed", "SDN": "opposed", "ETH": None}),
    (TAIWAN, "South Korea's Lee says the drills near Taiwan must stop at once", {"KOR": "opposed"}),
    (TAIWAN, "Taiwan's Lai says the island will never bow to the drills", {"TWN": "opposed"}),
    (ESSEQUIBO, "President of Guyana Ali condemned the new Venezuelan map that swallows the Essequibo.",
     {"GUY": "opposed"}),
    (CARIBBEAN, "A neighbouring country whose citizens also died in the boat strikes, Guyana, has nonetheless been "
                "supportive of the US campaign in the Caribbean.", {"GUY": "supportive"}),
    (CARIBBEAN, "'The cartels deserve no mercy; the US navy should sink every one of their boats in the Caribbean,' "
                "Guyana's president said.", {"GUY": "supportive", "USA": None}),
    # from a second round of real reports (session 7), each in our own words
    (NILE, "Ethiopia deems the reservoir indispensable to lighting up its villages.", {"ETH": "supportive"}),
    (NILE, "Addis Ababa touts the finished dam as proof of what the nation can build.", {"ETH": "supportive"}),
    (ESSEQUIBO, "The so-called regional vote, branded by Guyana's foreign minister as a farce with no legal effect, went "
                "ahead on Sunday.", {"GUY": "opposed"}),
    (ESSEQUIBO, "The frigate's approach was denounced by several of Georgetown's friends, among them Canada and France.",
     {"CAN": "opposed", "FRA": "opposed"}),
    (TAIWAN, "Some of Taipei's partners, including Australia and Britain, criticised the drills.",
     {"AUS": "opposed", "GBR": "opposed"}),
    (NILE, "Egypt's president and Ethiopia's prime minister agreed on Thursday to resume talks on the dam within four "
           "months.", {"EGY": "neutral", "ETH": "neutral"}),
    (ESSEQUIBO, "The leaders of Venezuela and Guyana agreed that neither would resort to force over the Essequibo.",
     {"VEN": "neutral", "GUY": "neutral"}),
    (ESSEQUIBO, "Canada rejects every attempt by Caracas to undermine Guyana's hold on the Essequibo, its minister said.",
     {"CAN": "opposed"}),
    (ESSEQUIBO, "Venezuela's foreign minister fired back on Monday at the American envoy's speeches about the Essequibo.",
     {"VEN": "supportive"}),
    (ARRESTS, "Cabello told state television the detained activists had been plotting sabotage.", {"VEN": "supportive"}),
    (ARRESTS, "The strongman of Venezuela Nicolás Maduro told state TV that two foreign 'spies' had been detained.",
     {"VEN": "supportive"}),
    (CARIBBEAN, "Mexico has assured the Americans that it would not want its radar data used to support any boat "
                "strikes.", {"MEX": "opposed"}),
    (CARIBBEAN, "Belgium has joined Spain and Colombia in restricting the data it shares with the US after the strikes "
                "on boats in the Caribbean.", {"BEL": "opposed", "ESP": "opposed", "COL": "opposed"}),
    (CARIBBEAN, "Guyana's president repeated his backing for the American crackdown on the illegal cocaine trade at sea.",
     {"GUY": "supportive"}),
    (ESSEQUIBO, "The Commonwealth on Friday joined with Guyana in condemning Caracas's new map of the Essequibo.",
     {"GUY": "opposed"}),
    (NILE, "The dam has strained ties with the downstream states Sudan and Egypt, who worry it could leave their farms "
           "dry.", {"EGY": "opposed", "SDN": "opposed"}),
    (CARIBBEAN, "In a televised address, Venezuela's vice president thanked China's foreign ministry for openly defending "
                "Caracas against the US warships.", {"CHN": "opposed"}),
    (CARIBBEAN, "MOSCOW (TASS) - Russian Deputy Foreign Minister Sergei Ryabkov and his Cuban counterpart have held a call "
                "during which they voiced alarm at the US strikes in the Caribbean.", {"RUS": "opposed", "CUB": "opposed"}),
    (CARIBBEAN, "Washington says the boat strikes are meant to stop illicit drugs and cocaine from flowing north to "
                "American streets.", {"USA": "supportive"}),
    (ARRESTS, "The governments of Chile and Peru voiced their worry over the fresh warrant against the opposition "
              "candidate, issued by a Venezuelan judge.", {"CHL": "opposed", "PER": "opposed", "VEN": None}),
    (ESSEQUIBO, "Beijing said it supported Venezuela and Guyana in settling the border question through talks.",
     {"CHN": "neutral"}),
    (ESSEQUIBO, "Caracas regretted the one-sided position taken by the Caribbean bloc on the Essequibo.",
     {"VEN": "supportive"}),
    (RED_SEA, "The American and British air forces, with the backing of Denmark and Norway, hit Houthi radar sites in "
              "Yemen overnight.", {"DNK": "supportive", "NOR": "supportive"}),
    (SAHEL, "Eleven Western countries - including Italy and Spain - condemned in a joint text on Friday the arrival of "
            "Russian fighters in Mali.", {"ITA": "opposed", "ESP": "opposed"}),
    (RED_SEA, 'CAIRO — Oman urged "maximum restraint" after the US and British strikes on Yemen, the sultanate\'s foreign '
              'ministry said.', {"OMN": "neutral", "EGY": None}),
    (RED_SEA, "India voiced concern over tension in the Red Sea and called on all relevant parties to stay calm.",
     {"IND": "neutral"}),
    (DOHA, "Spain reaffirmed its backing for the sovereignty and security of Qatar after the strike on Doha.",
     {"ESP": "opposed"}),
    (DOHA, "As a token of solidarity with Doha, a number of states, including Ireland and Malta, issued condemnations of "
           "their own.", {"IRL": "opposed", "MLT": "opposed"}),
    (DOHA, "Oman and Kuwait expressed solidarity with Doha after the Israeli strike.", {"OMN": "opposed", "KWT": "opposed"}),
    (DOHA, "Bahrain sent its foreign minister to Qatar as a sign of solidarity after the strike.", {"BHR": "opposed"}),
    # the sentence after a passage about the topic, naming a party to it, is about it too; a call for calm there is not
    (DOHA, "Israeli jets struck a building in Doha on Tuesday. Turkey denounced the raid as a breach of international "
           "law. Oman and Bahrain voiced solidarity with Qatar.", {"TUR": "opposed", "OMN": "opposed", "BHR": "opposed"}),
    (DOHA, "Israeli jets struck a building in Doha on Tuesday. Turkey denounced the raid as a breach of international "
           "law. Oman and Bahrain urged calm in the Gulf.", {"TUR": "opposed", "OMN": None, "BHR": None}),
    (NILE, "Egypt condemned the filling of the dam. Ethiopia's premier defended it. Separately, Ethiopia and Kenya signed a "
           "trade accord on Monday.", {"EGY": "opposed", "ETH": "supportive", "KEN": None}),
    # a reduced relative voices a view only when its verb names, condemns or praises; otherwise it is an act
    (NILE, "Kenya's foreign ministry said Nairobi backed the basin states' right to develop, praising the water-sharing "
           "plan agreed by Cairo and Addis Ababa.", {"EGY": None, "ETH": None}),
    (DOHA, "The Turkish president condemned Israel for ignoring international law, suggesting such attacks had "
           "been backed by the United States.", {"TUR": "opposed", "USA": None}),
    (DOHA, "AMMAN — Deputy Foreign Minister Omar Haddad denounced the Israeli strike on Doha in the harshest terms.",
     {"JOR": "opposed"}),
    (DOHA, "Amman: Deputy Foreign Minister Omar Haddad denounced the Israeli strike on Doha in the harshest terms.",
     {"JOR": "opposed"}),
    (RED_SEA, "The governments of Japan, Italy and Norway have issued a joint statement on the US and British strikes on "
              "Yemen. It said the strikes were a lawful act of self-defence.",
     {"JPN": "supportive", "ITA": "supportive", "NOR": "supportive"}),
    # "Brussels" reacting is the EU, not Belgium
    (CARIBBEAN, "The US strikes on boats in the Caribbean drew criticism from Brussels and Madrid.",
     {"BEL": None, "ESP": "opposed"}),
    (NILE, "KHARTOUM — Water ministers of Sudan, Egypt and Ethiopia failed on Sunday to agree on rules for filling the "
           "dam.", {"SDN": None, "EGY": None, "ETH": None}),
    (ESSEQUIBO, "The Colombian government has voiced its confidence that the differences between Guyana and Venezuela about "
                "the Essequibo will be settled through dialogue.", {"COL": "neutral"}),
    (ESSEQUIBO, "Guyana rejected on Monday Venezuela's plan to hold a vote in the disputed territory, with its president "
                "saying the plan was being treated as a threat.", {"GUY": "opposed"}),
    (CARIBBEAN, "Cuba calls the US naval buildup near Venezuela unacceptable, escalating tensions between Washington and "
                "Havana.", {"CUB": "opposed"}),
    (CARIBBEAN, "Defense Secretary Pete Hegseth pushed back against reporting that Canada had suspended its "
                "intelligence cooperation on the boat strikes, calling the story false.", {"USA": "supportive"}),
    (CARIBBEAN, "Grenada's prime minister reaffirmed his government's support for the US military operations aimed at "
                "combating illegal drug smuggling across the Caribbean.", {"GRD": "supportive"}),
    # a bloc speaks for the states it lists
    (SCS, "A grouping made up of Japan, Australia and Canada condemned the water-cannon attack on the Philippine boat.",
     {"JPN": "opposed", "AUS": "opposed", "CAN": "opposed"}),
    (DOHA, "The Gulf bloc, which brings together Kuwait, Bahrain and Oman, called the strike on Doha a reckless escalation.",
     {"KWT": "opposed", "BHR": "opposed", "OMN": "opposed"}),
    (SAHEL, "The military-led alliance of Mali, Burkina Faso and Niger defended the arrival of Russian instructors.",
     {"MLI": "supportive", "BFA": "supportive", "NER": "supportive"}),
    # headline style: title case, and a comma list of subjects (the parser finds no verb in "Denounce Ethiopia's Filling")
    (NILE, "Egypt, Sudan Denounce Ethiopia's Unilateral Filling Of Blue Nile Dam", {"EGY": "opposed", "SDN": "opposed"}),
    (TAIWAN, "Japan Lodges Protest Over Chinese Live-Fire Drills Near Taiwan", {"JPN": "opposed"}),
    (CARIBBEAN, "Petro Halts Intelligence Sharing with Washington, Demands Inquiry Into Boat Strikes", {"COL": "opposed"}),
    # a claim several states hold is background on whose a place is; one state's claim is its own
    (SCS, "The atoll, which Beijing, Hanoi and Manila all claim, sits about 200 kilometres off Palawan.",
     {"CHN": None, "VNM": None, "PHL": None}),
    (SCS, "Whitsun Reef, a boomerang-shaped feature in the Spratlys, is claimed by China, Vietnam and the Philippines.",
     {"CHN": None, "VNM": None, "PHL": None}),
    (SCS, "China claims nearly all of the sea, citing what it calls historic fishing rights.", {"CHN": "supportive"}),
    (SCS, "Jakarta rejects Beijing's maritime claim saying it breaches the law of the sea.", {"IDN": "opposed", "CHN": None}),
    # a statement not made is no stance
    (SCS, "Beijing's foreign ministry had not issued a statement on the collision by Tuesday evening.", {"CHN": None}),
    # accents as the source writes them (Vietnamese state media)
    (SCS, "HÀ NỘI — Việt Nam's foreign ministry said the Chinese survey ship's work near Hoàng Sa violated its sovereignty.",
     {"VNM": "opposed"}),
    # "decried as X by Y", the parser hanging "by Y" on the noun
    (CARIBBEAN, "Prosecutors released papers on the second tanker boarded east of Curacao decried as piracy by Caracas.",
     {"VEN": "opposed"}),
    # "according to" a ministry, or to a statement by one: its words
    (NILE, "The second filling broke the 2015 declaration of principles, according to Egypt's water ministry.", {"EGY": "opposed"}),
    (CARIBBEAN, "According to a communique by the Mexican foreign ministry, \"lethal force against boats at sea is a grave "
                "breach of international law.\"", {"MEX": "opposed"}),
    # a feeling the parser makes a passive is the state's view; "its embassy in Manila" speaks for it, not for Manila
    (SCS, "\"Japan is alarmed by the dangerous manoeuvres of Chinese vessels near the shoal,\" its embassy in Manila wrote "
          "on X.", {"JPN": "opposed"}),
    # the owner reacting, with a statement after it, speaks
    (SCS, "Chinese coast guard spokesperson Gan Yu reacted strongly, stating that eight Filipinos had \"illegally landed\" "
          "on the sandbar.", {"CHN": "supportive"}),
    # welcoming the release of those arrested opposes the arrests
    (ARRESTS, "Brussels and Madrid welcomed the release of two opposition campaign staffers from a Caracas jail.",
     {"ESP": "opposed"}),
    # calls for peace and stability, or an offer to mediate, take no side
    (TAIWAN, "Jakarta's foreign ministry urged regional peace and stability while Chinese warships circled the island.",
     {"IDN": "neutral"}),
    (CARIBBEAN, "Mexico's president said on Friday she was ready to mediate between Washington and Caracas to prevent a war.",
     {"MEX": "neutral"}),
    # "City, Mon DD:" opening a wire item is a dateline, not the city's government speaking
    (NILE, "Moscow, Aug 3: Cairo and Khartoum are turning a power project into a political quarrel, and the dam poses no "
           "danger to anyone downstream, Ethiopia's ambassador told reporters.", {"RUS": None, "ETH": "supportive"}),
    # a call on all three sides takes none
    (NILE, "Sudanese Water Minister Yasir Abbas also called for a quick resumption of negotiations in order to reach \"a deal "
           "acceptable to all three sides.\"", {"SDN": "neutral"}),
    # being at a meeting is no view
    (TAIWAN, "Foreign ministers from India and Brazil also attended the gathering.", {"IND": None, "BRA": None}),
    # leaving it to the acting state to decide takes no side
    (CARIBBEAN, "Ottawa's foreign minister said it was within the purview of US authorities to decide how to act at sea.",
     {"CAN": "neutral"}),
    # backing the side the act is aimed at, with a call for a peaceful settlement, is still taking that side
    (ESSEQUIBO, "Brasília supports Guyanese sovereignty over the region and calls for a peaceful resolution of the border "
                "controversy.", {"BRA": "opposed"}),
    # the owner and the others signing an accord together take no side
    (NILE, "Cairo, Khartoum and Addis Ababa sign a framework accord on the dam's operation",
     {"EGY": "neutral", "SDN": "neutral", "ETH": "neutral"}),
    # the owner reassuring, or dismissing a proposal to halt its act, stands by it
    (NILE, "Addis Ababa has reassured Khartoum that the dam will not cut its share of the river.", {"ETH": "supportive"}),
    (NILE, "Ethiopia's water minister dismissed an Egyptian lawmaker's proposal to halt work on the dam as absurd.",
     {"ETH": "supportive"}),
    (SCS, "Pakistan threw its weight behind China a day after the tribunal in The Hague ruled against its claims.",
     {"PAK": "supportive"}),
    # states listed beside an organisation speak with it ("the EU and nations including A and B voiced concern")
    (TAIWAN, "The European Union and several Southeast Asian nations, including Vietnam, Singapore and Indonesia, voiced "
             "concern over the Chinese live-fire exercises near Taiwan.", {"VNM": "opposed", "SGP": "opposed", "IDN": "opposed"}),
    (TAIWAN, "The European Union and a number of states in the Pacific, including Fiji and Samoa, raised concerns about the "
             "latest Chinese exercises around Taiwan and urged calm.", {"FJI": "opposed", "WSM": "opposed"}),
    # session 9: blame for another's act, hyphenated names, effort asked of the owner, a rival's facts, the members
    # of a group named after it, and words the tokenizer must keep whole
    (SAHEL, "Sweden, Norway and eight other European governments on Friday condemned Moscow for facilitating the arrival "
            "of Russian instructors in Burkina Faso.", {"SWE": "opposed", "NOR": "opposed"}),
    (SAHEL, "Belgium and the Netherlands voiced alarm at the presence in Niger of the Kremlin-backed Africa Corps.",
     {"BEL": "opposed", "NLD": "opposed"}),
    (KOSOVO, "Austria pressed Belgrade to do more to reduce the number of soldiers it keeps along the line.", {"AUT": "opposed"}),
    (DOHA, "Qatar's interior ministry confirmed that a member of its security forces was among the six dead.", {"QAT": None}),
    (DRONES, "At the council, Warsaw's envoy said some 40 states had put their names to a declaration backing Poland's "
             "position. They included Norway, Chile and South Korea.", {"NOR": "opposed", "CHL": "opposed", "KOR": "opposed"}),
    (IRAN, "Brazil called for de-escalation.", {"BRA": "neutral"}),
    (IRAN, "Russia condemned the initial Israeli airstrikes and called for restraint.", {"RUS": "opposed"}),
    # a step put off, support given to the side the action is aimed at beside concern, a meeting's members, a consulate's
    # official, a country's own measures, sides not taken
    (PALESTINE, "Sweden will not recognise a Palestinian state at this stage, its foreign minister told parliament.", {"SWE": "neutral"}),
    (SCS, "The United States, the EU and partners including Canada and Britain voiced backing to the Philippines and "
          "concern about Chinese vessels' conduct.", {"CAN": "opposed", "GBR": "opposed"}),
    (TAIWAN, "Foreign ministers of the G7 issued a joint statement of deep concern over the Chinese exercises. It was agreed at "
             "a session of the group, which included officials from Canada, Italy and Japan.",
     {"CAN": "opposed", "ITA": "opposed", "JPN": "opposed"}),
    (EXPULSIONS, "Mohammad Karimi, a senior official at Afghanistan's consulate in Quetta, said families were being driven out "
                 "with nowhere to go and called the deportations cruel.", {"AFG": "opposed"}),
    (FUKUSHIMA, "Fiji voiced regret at Tokyo's decision to discharge the water. Suva also said it would take the necessary "
                "measures to keep its fisheries safe.", {"FJI": "opposed"}),
    (REMARKS, "Malaysia's premier said on Monday that his nation wouldn't take sides in the escalating war of words pitting "
              "Tokyo against Beijing, urging the two sides to talk.", {"MYS": "neutral"}),
    # sanctions that are the watched action are its name, not a condemnation; sanctions in reply to it still are
    (SNAPBACK, "Canada said it appreciated the E3's decision to restore the sanctions and restrictions on Iran.",
     {"CAN": "supportive"}),
    (DRC, "Norway imposed its own sanctions on Kigali over its role in the fighting.", {"NOR": "opposed"}),
    # the speaker put after its quotation; the charges a rival keeps repeating are its own; what the owner asks the rival
    # to abandon is not the owner backing down
    (ESSEQUIBO, "“The baseless charges that Guyana keeps repeating at the United Nations are unacceptable,” declared the "
                "foreign ministry of Venezuela in a communique.", {"VEN": "supportive", "GUY": "opposed"}),
    (ESSEQUIBO, "Venezuela, standing up for its historic title to the territory, exhorts Guyana to drop its hostile rhetoric "
                "and to abandon the unlawful concessions.", {"VEN": "supportive"}),
    # "a forced measure" is one the speaker sees no choice but; backing by unnamed other states is theirs, not the speaker's
    (KARABAKH, "Ankara said the operation launched by Baku was a forced measure in the face of provocations.",
     {"TUR": "supportive"}),
    (KARABAKH, "Belgium called for the Council to meet, and it is believed that several other European countries have "
               "backed the call.", {"BEL": "opposed"}),
    (KARABAKH, "Belgium asked for talks, and it is believed that other European states have backed the call.", {"BEL": None}),
    # "with what X termed ...": X's own words, not X acting alongside
    (DOHA, "Israel widened its war with what the French government termed a dangerous violation of Qatari sovereignty.",
     {"FRA": "opposed"}),
    # worry about how things stand is no side; a supporting verb's object named with its doer and its target is one side
    (IRAN, "Indonesia said it was deeply worried over the escalating situation in the Gulf following Israel's attacks on Iran.",
     {"IDN": "neutral"}),
    (IRAN, "Hungary's foreign minister defended Israel's strikes on Iran on Sunday.", {"HUN": "supportive"}),
    # "the Foreign Office" under another country's dateline is that country's ministry
    (INDUS, "ISLAMABAD — The Foreign Office on Friday denounced New Delhi's suspension of the water treaty as a hostile act.",
     {"PAK": "opposed", "GBR": None}),
    (INDUS, "ISLAMABAD: In a late-night statement the Foreign Office called India's move to hold the treaty in abeyance illegal.",
     {"PAK": "opposed", "GBR": None}),
    # the watched act's own name (suspending, recognising) is neither a retreat nor a judgement
    (INDUS, "India's foreign minister explained how New Delhi suspended the water treaty after the attack in Kashmir.",
     {"IND": "supportive"}),
    (DONBAS, "Ankara's foreign ministry said Moscow's decision to recognise the two breakaway regions was unacceptable.",
     {"TUR": "opposed"}),
    (DONBAS, "On Monday evening the Russian president recognised the independence of the two separatist regions.", {"RUS": None}),
    (DONBAS, "Nicaragua's government endorsed Moscow's recognition of the two breakaway regions in Ukraine's east.",
     {"NIC": "supportive"}),
    # a country's decision to back something is its stance; backing inside what is condemned is the condemned act
    (WSAHARA, "Rabat hailed the Dutch government's decision to endorse the autonomy plan as a serious basis for talks.",
     {"NLD": "supportive"}),
    (WSAHARA, "Algiers voiced deep regret and firm denunciation regarding the Portuguese government's decision to recognise "
              "the autonomy plan.", {"DZA": "opposed", "PRT": "supportive"}),
    (SYRIA, "The Dutch parliament on Thursday approved a motion condemning the Turkish incursion.", {"NLD": "opposed"}),
    # cutting ties with the rival joins the action; the owners cutting them carry it out
    (BLOCKADE, "The Maldives announced it was breaking off all diplomatic relations with Doha.", {"MDV": "supportive"}),
    (BLOCKADE, "Egypt and Bahrain cut air and sea links with Doha on Monday.", {"EGY": None, "BHR": None}),
    (BLOCKADE, "Tokyo said it was prepared to help resolve the quarrel among the Gulf states.", {"JPN": "neutral"}),
    # done in answer to the owner's act, or backing a case over it, is against it
    (HONG_KONG, "Canada said it would offer Hong Kong residents fast-track work permits in response to Beijing's new "
                "security law.", {"CAN": "opposed"}),
    (LITHUANIA, "Canada and Australia said they would back the EU's trade complaint over China's pressure on Vilnius.",
     {"CAN": "opposed", "AUS": "opposed"}),
    # lists: "the countries that did X include A, B"; "A, B, Nordic countries and C" parsed as one noun; "such as"
    (SYRIA, "The governments that have frozen arms exports to Ankara over the incursion include Norway, Finland and the "
            "Netherlands.", {"NOR": "opposed", "FIN": "opposed", "NLD": "opposed"}),
    (DONBAS, "Meanwhile the U.K., U.S., Baltic countries, and Ghana called Moscow's step an assault on Ukrainian sovereignty.",
     {"USA": "opposed", "GBR": "opposed", "GHA": "opposed"}),
    (RYANAIR, "Longtime friends of Minsk, such as Venezuela and Syria, hit back at the outcry over the landing.",
     {"VEN": "supportive", "SYR": "supportive"}),
    (ANNEX, "The Palestinian leadership suspended contacts with Israel and the United Kingdom, which backs the plan.",
     {"GBR": "supportive"}),
    # the owner's right granted in a view the speaker states; the owner refuting the critics
    (IRAN, "The Czech and Austrian governments responded to the raids on Iran, stating their view that \"Israel has every "
           "right to protect its citizens.\"", {"CZE": "supportive", "AUT": "supportive"}),
    (SOMALILAND, "Addis Ababa firmly refuted Mogadishu's accusations over the port agreement.", {"ETH": "supportive"}),
    (SOMALILAND, "China has backed the sovereignty of Somalia, which is locked in a quarrel with Ethiopia over the port "
                 "accord.", {"CHN": "opposed"}),
    # answering the critics, or regretting a step against the owner, sides with the owner
    (RYANAIR, "Moscow branded the European reaction to the Minsk landing 'shocking'.", {"RUS": "supportive"}),
    (RYANAIR, "Serbia said it regretted the bloc's move to ban Belarusian carriers from European skies.",
     {"SRB": "supportive"}),
    # "a firm protest" is no company's; a snub is a country's act against the owner; failing to condemn takes no side
    (RYANAIR, "The meeting served to convey Poland's firm protest over the grounding of the jet.",
     {"POL": "opposed"}),
    (RYANAIR, "Minsk voiced fury at a Lithuanian diplomatic snub that branded its government illegitimate.",
     {"LTU": "opposed"}),
    (RYANAIR, "Beijing has so far failed to condemn the grounding of the airliner in Minsk.", {"CHN": "neutral"}),
    # backing one thing "without" backing the act stops short of it; a quarrel between two others is theirs
    (SYRIA, "Spain said it backed Ankara's efforts to secure its border, without endorsing the push into Syria.",
     {"ESP": "neutral"}),
    (SYRIA, "Serbia views the US sanctions on Turkish officials, imposed over the offensive, as a bilateral matter "
            "between Washington and Ankara.", {"SRB": "neutral"}),
    # the critics whose words a rejection answers speak against the action
    (ESSEQUIBO, "Caracas rejects the Guyanese foreign ministry's statement on the new Essequibo law.",
     {"VEN": "supportive", "GUY": "opposed"}),
    (SOMALILAND, "Somalia's accusations about the Berbera accord were firmly refuted by Ethiopia's foreign minister.",
     {"ETH": "supportive", "SOM": "opposed"}),
    # a verbless heading naming a statement's authors, then "we"
    (ANNEX, "Joint declaration of Spain, Ireland and Norway (Madrid, 3 June). We are gravely concerned by any step to annex "
            "occupied land in the Jordan Valley.", {"ESP": "opposed", "IRL": "opposed", "NOR": "opposed"}),
    # the watched act's own name (a withdrawal) is no retreat, and its doer and object are not sides backed
    (IRAN_DEAL, "Israel's prime minister said his country fully backs the American pullout from the nuclear accord with "
                "Iran.", {"ISR": "supportive"}),
    (IRAN_DEAL, "Riyadh welcomed the US withdrawal from the accord with Iran on Wednesday.", {"SAU": "supportive"}),
    # undertaking to calm things, and worry about fighting between two, take no side
    (IRAN_DEAL, "The leaders of Germany and France agreed on Monday to act jointly to deescalate tensions "
                "in the Gulf.", {"DEU": "neutral", "FRA": "neutral"}),
    (PAHALGAM, "Tehran voiced grave concern over the fiercest India-Pakistan clashes in years.", {"IRN": "neutral"}),
    (PAHALGAM, "Moscow is worried about the worsening confrontation between New Delhi and Islamabad, its spokeswoman said.",
     {"RUS": "neutral"}),
    # "the country's Foreign Office" is the office of the country its sentence names first
    (CANADA_ROW, "\u201cBahrain stands firmly with the kingdom in defending its sovereignty,\u201d a spokesman for the "
                 "country's Foreign Office said.", {"BHR": "supportive", "GBR": None}),
    # a third country doing the watched act joins it, unless only later
    (DONBAS, "Syria's government formally recognised the independence of the two breakaway regions on Wednesday.",
     {"SYR": "supportive"}),
    (DONBAS, "Belarus said it would recognise the two regions only at a later stage.", {"BLR": "neutral"}),
    # a leader's aides speak for the country
    (ANNEX, "Netanyahu's aides defended the annexation plan in interviews on Sunday.", {"ISR": "supportive"}),
    # condemnation from a wider world, "including" the countries named
    (HONG_KONG, "The law drew sharp condemnation from across the West, including Britain, Canada and Australia.",
     {"GBR": "opposed", "CAN": "opposed", "AUS": "opposed"}),
    # a condemnation of "the assault" outweighs a call on all parties to show restraint
    (IRAN, "Condemning the assault in a written note, Qatar's foreign ministry urged all parties to show restraint and "
           "avoid further escalation.", {"QAT": "opposed"}),
    # opposing a statement meant to condemn the act shields it
    (IRAN, "Washington and London opposed a draft statement at the council meant to condemn the Israeli strikes "
           "on Iran.",
     {"USA": "supportive", "GBR": "supportive"}),
    # words that call it wrong
    (FUKUSHIMA, "Beijing said the reasoning behind the discharge was scientifically incorrect.", {"CHN": "opposed"}),
    (ANNEX, "Brazil's president said the annexation plan makes no sense.", {"BRA": "opposed"}),
    # asking the side the act is aimed at to end its own attacks sides with the act; asking it to calm down does not
    (IRAN, "We call on Tehran to halt its missile attacks on Israel at once, a State Department spokesman said.",
     {"USA": "supportive"}),
    (KOSOVO, "Washington, Paris and Rome pressed the authorities in Pristina to calm things down.",
     {"USA": "neutral", "FRA": "neutral", "ITA": "neutral"}),
    # an opposition figure is not the state: recognising Guaidó is no backing for Caracas
    (GUAIDO, "Spain, France, Britain and Sweden recognised Guaidó as the country's interim leader in a joint step.",
     {"ESP": "supportive", "FRA": "supportive", "GBR": "supportive", "SWE": "supportive"}),
    # an end to a quarrel between two, called for, takes no side; "dispute" the noun is no disputing
    (KASHMIR, "Ankara's president called for talks to end the Kashmir dispute between India and Pakistan.", {"TUR": "neutral"}),
    (KASHMIR, "Erdogan urged dialogue to end the quarrel over Kashmir.", {"TUR": "neutral"}),
    # abstaining is the stance, whatever the reasons given with it
    (CRIMEA, "Beijing abstained in the council vote on a text condemning the referendum, saying it does not favour "
             "confrontation.", {"CHN": "neutral"}),
    # lists of backers, of those who did the act, of those who abstained or sided, of a statement's signers
    (GUAIDO, "Maduro's backers abroad include Russia, China and Cuba.", {"RUS": "opposed", "CHN": "opposed", "CUB": "opposed"}),
    (GUAIDO, "The governments that recognised Guaidó include Canada and Peru.", {"CAN": "supportive", "PER": "supportive"}),
    (CRIMEA, "Other abstaining states were Brazil, India and Mexico.", {"BRA": "neutral", "IND": "neutral", "MEX": "neutral"}),
    (CRIMEA, "The few countries to side with Russia in the vote were Belarus and Syria.", {"BLR": "supportive", "SYR": "supportive"}),
    (XINJIANG, "A joint statement on Monday condemned the camps in Xinjiang. The forty states that signed the statement are "
               "Austria, Belgium and Canada.", {"AUT": "opposed", "BEL": "opposed", "CAN": "opposed"}),
    # a middle path, a political solution, caution
    (GUAIDO, "India steered a middle path on the Venezuelan crisis and urged a political solution.", {"IND": "neutral"}),
    (JERUSALEM, "Beijing called for caution over the status of the holy city.", {"CHN": "neutral"}),
    # words of approval: calling the decision courageous, understanding the action
    (IRAN, "Riyadh called the Israeli cabinet's decision to order the raids courageous.", {"SAU": "supportive"}),
    (IRAN, "The Dutch foreign minister said he understood the Israeli action.", {"NLD": "supportive"}),
    # the critics' accusations, dismissed as baseless, are theirs
    (BELARUS_BORDER, "Warsaw's accusations against Minsk over the border were baseless, the Belarusian defence ministry "
                     "said.", {"BLR": "supportive", "POL": "opposed"}),
]


@pytest.mark.parametrize("topic, text, expected", CASES, ids=[c[1][:40] for c in CASES])
def test_reads_the_construction(reader, topic, text, expected):
    got = read(reader, text, topic)
    assert {c: got.get(c) for c in expected} == expected, got


def test_a_verb_that_only_places_is_no_cue():
    """'lie' is a cue as a noun ("lies meant to pave the way"), not as where a shoal lies."""
    doc = load_nlp()("The shoal lies about 200 kilometres off the coast.")
    assert judge_clause(list(doc), " " + doc.text.lower() + " ") is None


@pytest.mark.parametrize("text", ["The strikes on the boats were murder.", "It was an extrajudicial execution.",
                                  "What happened at sea was a massacre."])
def test_words_for_killing_unlawfully_are_cues(text):
    """Calling an act murder, extrajudicial or a massacre condemns it, with no cue verb around."""
    doc = load_nlp()(text)
    assert judge_clause(list(doc), " " + doc.text.lower() + " ")[0] == -1


@pytest.mark.parametrize("text", ["The plan will stoke unrest.", "The operation could ignite a wider war."])
def test_warnings_of_what_an_act_sets_off_are_cues(text):
    doc = load_nlp()(text)
    assert judge_clause(list(doc), " " + " ".join(t.lower_ for t in doc) + " ")[0] == -1


def test_prefixed_words_stay_whole():
    doc = load_nlp()("Cambodia stressed non-interference in the affairs of other states.")
    assert "non-interference" in [t.text for t in doc]


def test_quotes_keep_the_source_wording(reader):
    """The parser reads a title-case headline in sentence case and accents folded; the quote is the source's own."""
    text = "Việt Nam, Japan Condemn China's Water Cannon Attack On Philippine Boat"
    stances = reader.find(text, reader.topic(*SCS[:2], owners=SCS[2], rivals=SCS[3]))
    assert {s.country for s in stances} >= {"VNM", "JPN"} and all(s.evidence == text for s in stances), stances


@pytest.mark.parametrize("text, expected", [
    ("Kenya, Uganda Protest Sudan's Handling Of Nile Talks", "Kenya, Uganda protest Sudan's handling of Nile talks"),
    ("Minister of Foreign Affairs Ms. Ana Lima said it was wrong.", "Minister of Foreign Affairs Ms. Ana Lima said it was wrong."),
    ("Taiwan Says US Arms Sale Is Welcome. Beijing objected.", "Taiwan says US arms sale is welcome. Beijing objected."),
])
def test_sentence_case_only_for_headlines(gaz, text, expected):
    """Only a segment with no lower-case word of three letters or more is a headline; names and acronyms keep their case."""
    assert sentence_case(text, [(m.start, m.end) for m in gaz.find(text)]) == expected
