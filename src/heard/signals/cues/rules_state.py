"""Rules for the situation now: fear, presence, children, substances, suicide and silence."""

from __future__ import annotations

from heard.signals.cues.rules_base import (
    ABUSE,
    ANY_SPEAKER,
    CONFLICT,
    DISTRESS,
    DOMESTIC,
    PERSON_FEAR,
    Rule,
    rule,
)
from heard.signals.cues.taxonomy import CueCode as C
from heard.signals.cues.taxonomy import Speaker

_NOT_FEAR = (
    r"spiders?|heights|dentist|needles|film|horror|dark|flying|wasps|mice|rats|breathing|copd|"
    r"stroke|chest|waters|labour|blue round|exams?|interview"
)
_PLACES = (
    r"here|outside|downstairs|upstairs|indoors|inside|in the (?:house|flat|kitchen|bedroom|garden|"
    r"hallway|hall|living room|lounge|front room|back room|other room|next room|bathroom|garage|"
    r"shower|loft|car park|street|property|room)|in (?:his|her|my|our|the) (?:room|bedroom)|"
    r"at the (?:door|front door|back door|window|gate)|on the (?:doorstep|drive|landing|stairs|"
    r"balcony)|next to me|behind me|with me|in the shower|home now|back|across the road|"
    r"at my (?:front )?(?:door|window|gate|house)|in the next room|in the other room"
)
_NUMBER_UNDER_16 = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|[1-9]|1[0-5])"
)
_ADULT_AGE = (
    r"(?:1[6-9]|[2-9]\d|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|grown|adult|grown-up)"
)
_SUBSTANCE_SUBJECT = r"(?:i'm|i am|i was|i've|i had|i|we|we're|we were|we got|i've had)"
_HANDLER = frozenset({Speaker.HANDLER})

# fmt: off
STATE_RULES: tuple[Rule, ...] = (
    # FEAR
    rule(C.FEAR, r"(?P<h>scared|terrified|frightened|petrified|afraid|fearful|bricking it|"
         r"scared stiff|in fear|fear for my life|fear for (?:our|my) (?:lives|safety))",
         veto=_NOT_FEAR, around=6, confidence=0.8),
    rule(C.FEAR, r"(?:think|thought|know|sure|worried|convinced|scared|afraid) (?:that )?<HE_WILL> "
         r"(?:\S+ )?(?P<h>(?:kill|hurt|murder) (?:me|us|the kids))", ignore=("modal",)),
    rule(C.FEAR, r"<HE_WILL> (?:\S+ )?(?P<h>(?:kill|hurt|murder) (?:me|us))", ignore=("modal",),
         veto_before=r"<SAY>", around=14, confidence=0.7, also=(PERSON_FEAR,)),
    rule(C.FEAR, r"(?P<h>(?:scared|terrified|frightened|petrified|afraid) (?:of|for) (?:him|her|"
         r"them|what (?:he|she|they|he'll|she'll|they'll|hell|he'd|she'd|he might)|my life|"
         r"my safety))", veto=_NOT_FEAR, around=6, also=(PERSON_FEAR,)),
    rule(C.FEAR, r"(?:i'm|i am|i was|thought i was|i'm going) (?:\S+ ){0,2}(?P<h>going to die|"
         r"gonna die)", veto=r"laugh\w*|embarrass\w*", around=5),
    # VICTIM_SUICIDAL
    rule(C.VICTIM_SUICIDAL, r"(?P<h>kill myself|killing myself|end it all|end my life|ending my "
         r"life|ending it|end it|take my (?:own )?life|want to die|suicidal|self harm\w*|"
         r"self-harm\w*|harming myself|hurting myself|cutting myself|cut my wrists|cut myself|"
         r"overdose|overdosed|taken all my tablets|took all my tablets|taken (?:all )?my pills|"
         r"better off (?:dead|without me)|if i wasn't here|don't want to (?:live|be here|go on)|"
         r"no point (?:living|going on)|razor blade|can't go on|depressed)",
         veto=r"laugh\w*|joke|lol|haha|dying to|with him|with her|himself|he's suicidal", around=4,
         confidence=0.8),
    rule(C.VICTIM_SUICIDAL, r"(?:she|she's|she is|she wants|she's been) (?:\S+ ){0,3}"
         r"(?P<h>suicidal|kill herself|self harming|end her life)", veto_before=r"<SAY>|threat\w*",
         around=6),
    # ABUSER_SUICIDE_THREAT
    rule(C.ABUSER_SUICIDE_THREAT, r"(?P<h>kill himself|killing himself|hang himself|hanging "
         r"himself|top himself|topping himself|end his life|end his own life|take his (?:own )?"
         r"life|hurt himself|harm himself|slit his wrists|threaten(?:s|ed|ing)? suicide|"
         r"threatening to kill himself)", ignore=("modal",), confidence=0.85),
    rule(C.ABUSER_SUICIDE_THREAT, r"(?:going to|gonna|threatening to|threatened to|he'll|she'll) "
         r"(?P<h>jump|jump off \S+|drive into|crash the car)", ignore=("modal",)),
    rule(C.ABUSER_SUICIDE_THREAT, r"<SAY> (?:\S+ ){0,6}(?P<h>kill herself|end her life|hurt "
         r"herself|take her (?:own )?life)", ignore=("modal",)),
    rule(C.ABUSER_SUICIDE_THREAT, r"(?:he's|he is|he has been|he's been) (?:\S+ ){0,2}"
         r"(?P<h>suicidal)"),
    # SUBSTANCE
    rule(C.SUBSTANCE, r"(?P<h>drunk|pissed|wasted|steaming|paralytic|legless|bladdered|trollied|"
         r"sloshed|plastered|stoned|coked up|off (?:his|her|their) (?:face|head|nut|tits)|"
         r"out of (?:his|her) (?:mind|head|face|tree)|(?:absolutely|completely|totally|home|he's|"
         r"she's) hammered)", veto=r"pissed off|pissed at|nil|goals",
         veto_before=_SUBSTANCE_SUBJECT,
         around=2),
    rule(C.SUBSTANCE, r"(?P<h>(?:been|is|was|keeps|started|he's|she's) drinking|had (?:a lot|"
         r"loads|too much|a few|plenty) to drink|had a drink|(?:when|if) (?:he|she) (?:drinks|"
         r"gets drunk)|on the (?:drink|booze|vodka|lager|cider|wine|beer|whisky|cans)|a whole "
         r"bottle of \S+)", veto_before=_SUBSTANCE_SUBJECT, around=2),
    rule(C.SUBSTANCE, r"(?P<h>on (?:drugs|something|coke|cocaine|crack|spice|heroin|meth|ketamine|"
         r"the gear|pills)|using (?:cocaine|coke|crack|drugs|heroin|spice)|taking (?:drugs|cocaine|"
         r"coke)|smoking (?:crack|weed|skunk|spice)|cokehead|alcoholic|addict)",
         veto_before=_SUBSTANCE_SUBJECT, around=2),
    rule(C.SUBSTANCE, r"(?P<h>stopped taking (?:his|her) (?:meds|medication|tablets)|off (?:his|"
         r"her) meds|hearing voices|psychotic|psychosis|mental health crisis|not in (?:his|her) "
         r"right mind|sectioned)"),
    # PREGNANCY
    rule(C.PREGNANCY, r"(?P<h>pregnant|expecting (?:a baby|our baby|his baby|twins)|weeks gone|"
         r"gave birth|given birth|newborn|new born|(?:just )?had (?:a|the|our|my|his) baby|"
         r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|few) "
         r"(?:day|week|month)s? old)", veto_before=r"friend's|mate's|colleague's|friend|mate|"
         r"colleague|dog|cat|sister's", around=3),
    rule(C.PREGNANCY, r"(?:baby|she's|he's|she is|he is) (?:only )?(?P<h>" + _NUMBER_UNDER_16 +
         r" (?:weeks|months))"),
    # SUSPECT_PRESENT
    rule(C.SUSPECT_PRESENT, r"(?:<HES>|<NP>(?:'s| is)|<NPS>|he|she) (?:still |just |right |now )?"
         r"(?:\S+ )?(?P<h>" + _PLACES + r")", veto=r"at work|went|pub|his mum's|prison|"
         r"away|abroad|gone (?:out|to|away|home)", around=3, confidence=0.75),
    rule(C.SUSPECT_PRESENT, r"(?:<HES>|<NP>(?:'s| is)|<NPS>) (?:\S+ )?(?P<h>hurting|kicking|"
         r"smashing|"
         r"breaking|throwing|shouting|screaming|waving|pointing|punching|banging|hitting|attacking|"
         r"standing|sitting|holding|going mental|kicking off)", veto=r"<SAY>|on the phone|texts?|"
         r"messages?|online|game", around=4, confidence=0.7),
    rule(C.SUSPECT_PRESENT, r"(?P<h>trying to (?:get in|break in|break the door|kick the door|"
         r"force "
         r"the door|get through)|(?:banging|knocking|hammering|kicking|pounding|bashing) "
         r"(?:on |at |in |down )?(?:the|my) (?:door|window|windows)|kicking the door in|trying the "
         r"(?:handle|door)|forcing the (?:lock|door|window)|climbed (?:over|through|in)|let "
         r"(?:himself|herself) in|broke in|just walked in|walked into my \S+)", confidence=0.85),
    rule(C.SUSPECT_PRESENT, r"(?P<h>(?:he|she|they)(?:'s| is|'re| are)? (?:listening|right here|"
         r"right next to me|standing over me|watching me right now)|(?:he's|she's) listening)"),
    rule(C.SUSPECT_PRESENT, r"(?P<h>locked myself in|hiding (?:in|from)|i'm hiding)",
         confidence=0.6),
    # CHILDREN_PRESENT
    rule(C.CHILDREN_PRESENT, r"(?:my|our|the|her|his|their) (?:\S+ ){0,2}(?P<h><KIDS>)(?:'s| is| "
         r"are| was| were)? (?:\S+ ){0,3}(?:here|upstairs|downstairs|asleep|sleeping|in bed|"
         r"in the (?:house|room|other room|flat|car|bedroom|kitchen|front room|living room|lounge)|"
         r"in (?:their|his|her|my) (?:room|rooms|bedroom|bedrooms|cot)|with me|watching|screaming|"
         r"crying|at home|in my car|in my arms|saw everything|heard everything)",
         veto=_ADULT_AGE, around=5),
    rule(C.CHILDREN_PRESENT, r"(?:we've|i've|we have|i have|they've|they have|she's got|she has|"
         r"he's got|we've got|i've got) (?:got )?(?:\S+ ){0,3}(?P<h><KIDS>)", veto=_ADULT_AGE,
         around=5),
    rule(C.CHILDREN_PRESENT, r"in front of (?:the|my|our) (?P<h><KIDS>)"),
    rule(C.CHILDREN_PRESENT, r"(?:they're|they are) (?:\S+ )?(?P<h>in bed|asleep|in their (?:room|"
         r"beds|bedroom))", confidence=0.6),
    rule(C.CHILDREN_PRESENT, r"(?:she's|he's|she is|he is|who's|aged) (?:only |just )?"
         r"(?P<h>" + _NUMBER_UNDER_16 + r")(?: years? old)?(?! (?:minutes|hours|mins|seconds|"
         r"streets|doors|miles|times|pints|drinks|weeks|months))", around=3),
    # CANNOT_SPEAK
    rule(C.CANNOT_SPEAK, r"(?P<h>\[[^\]\s]*(?:whisper|silen|quiet|muffled|no_reply|no_response|"
         r"no_answer|breathing|dead|cut_off|disconnect|hangs_up|hung_up|call_ends|drops|55|"
         r"tapping|taps)[^\]\s]*\])", speakers=ANY_SPEAKER, confidence=0.85),
    rule(C.CANNOT_SPEAK, r"(?P<h>(?:can't|cannot|unable to|not able to) (?:really )?(?:talk|speak|"
         r"say (?:much|anything|more)))", veto=r"about it|about that|english|to you about",
         around=3, ignore=("negation",)),
    rule(C.CANNOT_SPEAK, r"(?P<h>whispering|whisper)", veto=r"you can whisper", around=3),
    rule(C.CANNOT_SPEAK, r"(?:he|she|they)(?:'ll| will| can| might| could)? (?P<h>hear me)",
         ignore=("modal",), also=(C.SUSPECT_PRESENT,)),
    rule(C.CANNOT_SPEAK, r"(?P<h>order (?:a |an )?(?:\S+ ){0,2}(?:pizza|takeaway)|ask for angela|"
         r"ask for ani|yes mum|yes mom|no mum|yes nan)", veto=r"delivery|driver|stole|robbed",
         around=5, confidence=0.7),
    rule(C.CANNOT_SPEAK, r"(?P<h>(?:line|call|phone) (?:has |'s |is |just )?(?:gone dead|dropped|"
         r"disconnected|cut off|been cut off|went dead|goes dead|has ended)|(?:caller|they|she|he) "
         r"(?:has |'s )?(?:hung up|hangs up|rung off)|(?:has |have )?pressed 55|silent call|open "
         r"line|no one(?:'s| is) speaking|i can hear (?:breathing|you breathing)|the line's gone "
         r"dead|line's dropped|caller is whispering)", speakers=_HANDLER, confidence=0.85),
    # Evidence for the call-level decisions (never output as cues).
    rule(ABUSE, r"(?:<HE>|<HES>|<NP>|<NPS>|he's|she's|they've|has|just|keeps|always) "
         r"(?:\S+ ){0,2}(?P<h>hit|hits|hitting|punched|punches|punching|kicked|kicks|kicking|"
         r"slapped|slaps|beat|beats|beating|beaten|battered|battering|assaulted|attacked|"
         r"attacking|hurt|hurts|hurting|pushed|pushes|shoved|shoves|grabbed|grabs|dragged|"
         r"headbutted|bit|bites|scratched|throttled|threatened|threatening|laying into|went for|"
         r"laid a finger on|thrown|threw|abusing|abused|shoving|pushing) (?:\S+ )?(?:me|her|him|us|"
         r"them|mum|dad|(?:my|our|his|her) (?:mum|dad|wife|husband|partner|son|daughter|kids|"
         r"children|baby|girlfriend|boyfriend|face|head|arm|neck|stomach|back))",
         veto=_NOT_FEAR + r"|football|ball|van|car", around=4),
    rule(ABUSE, r"(?P<h>abusive|violent|violence|abuse)", veto=r"film|game|news", around=4,
         confidence=0.6),
    rule(DOMESTIC, r"(?P<h>domestic (?:abuse|violence|incident)|it's a domestic|abuser|refuge|idva|"
         r"marac|women's aid|men's advice line)"),
    rule(CONFLICT, r"(?P<h>argument|argued|arguing|row|rowing|fight|fighting|smashed|smashing)"),
    rule(DISTRESS, r"(?P<h>help me|please help|send someone|send help|please hurry|hurry)"),
)
# fmt: on
