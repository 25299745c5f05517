"""Rules for control, isolation, stalking, honour-based abuse, separation and escalation."""

from __future__ import annotations

from heard.signals.cues.rules_base import ABUSE, ANY_SPEAKER, CONTACT, ORDER, Rule, rule
from heard.signals.cues.taxonomy import CueCode as C

_SOCIAL = (
    r"instagram|insta|twitter|tiktok|facebook|social media|snapchat|youtube|likes|liking|"
    r"dog|puppy|film|series|news|the app|runs"
)
_NOT_ESCALATION = (
    r"weather|traffic|cough|pain|breathing|symptoms|signal|rain|snow|storm|leg|back|knee|"
    r"wound|copd|condition|dementia|fever|temperature|queue|noise"
)

# fmt: off
CONTROL_RULES: tuple[Rule, ...] = (
    # ISOLATION
    rule(C.ISOLATION, r"(?:won't|doesn't|wouldn't|never|don't|didn't) (?:let|allow) (?:me|her|him) "
         r"(?:\S+ ){0,2}(?P<h>see|visit|talk to|speak to|contact|phone|call|ring|go out|leave|out|"
         r"have (?:a |my )?phone|have (?:any )?money|go to the doctor|see a doctor|see the gp|"
         r"have friends)", also=(C.COERCIVE_CONTROL,)),
    rule(C.ISOLATION, r"(?:i'm|i am|she's|she is|we're|i'm just) (?P<h>not allowed) (?:to )?"
         r"(?:see|leave|go out|out|have|talk|speak|contact|money|friends|visit|phone)"),
    rule(C.ISOLATION, r"(?:takes|took|taken|take|taking|keeps|kept|keeping|hides|hid|hidden|"
         r"smashed|smashes|broke|broken|smashed up|removed|confiscated|grabbed|stole|holds|has) "
         r"(?:away )?(?:\S+ )?(?:my|her|his|all my|all her|all his|their) (?P<h>phone|mobile|"
         r"bank cards?|cards|money|wages|benefits|pension|keys|car keys|sim card|laptop|purse)"),
    rule(C.ISOLATION, r"(?P<h>cut (?:me|her) off from|cut off all (?:my|her) (?:friends|family)|"
         r"made me cut off|makes me cut off|(?:stopped|stops|stop) (?:me|her) (?:from )?(?:seeing|"
         r"going|talking|speaking|visiting)|no access to (?:money|my money|a phone|the bank|"
         r"the car)|"
         r"won't let anyone (?:visit|see)|nobody is allowed to visit)"),
    rule(C.ISOLATION, r"(?:locks|locked|locking|lock|keeps|kept) (?:me|her|him) (?P<h>in|inside|"
         r"indoors)(?: (?:my|the|her|his) (?:room|flat|house|bedroom))?",
         also=(C.COERCIVE_CONTROL,)),
    rule(C.ISOLATION, r"(?:controls|decides|tells me|chooses) (?:\S+ ){0,5}(?P<h>who i (?:can )?"
         r"(?:see|talk to|speak to|talk|meet))", also=(C.COERCIVE_CONTROL,)),
    rule(C.ISOLATION, r"(?:controls|control) (?:\S+ ){0,3}(?P<h>the money|all the money|my money)"),
    # COERCIVE_CONTROL
    rule(C.COERCIVE_CONTROL, r"(?P<h>controlling|controls (?:everything|every|me|my|what|where|who|"
         r"the|all)|coercive|control freak|jealous|possessive)"),
    rule(C.COERCIVE_CONTROL, r"(?P<h>tracking app|app on my phone|spyware)", also=(C.STALKING,),
         veto=r"runs|hacked|fitness|steps|banking", around=6),
    rule(C.COERCIVE_CONTROL, r"(?:checks|checking|checked|goes through|go through|went through|"
         r"reads|reading|read|looks through|monitors|monitoring|tracks|tracking) (?:all )?"
         r"(?:my|her|who i've) (?P<h>phone|messages|texts|emails|bank|bank account|account|"
         r"whatsapp|facebook|messaged)"),
    rule(C.COERCIVE_CONTROL, r"(?:checks|knows|tracks|tracking|follows|see|sees|watches) "
         r"(?:\S+ ){0,2}(?:my|her) (?P<h>location)", also=(C.STALKING,)),
    rule(C.COERCIVE_CONTROL, r"(?P<h>(?:accuses|accused|accusing) (?:me|her) of|tells me what "
         r"(?:\S+ ){0,3}(?:wear|eat|do|say)|what i'm allowed to wear|decides (?:everything|what|"
         r"who|"
         r"where)|(?:times|timed|timing) me|makes me (?:ask|account|hand over|give him|give her|"
         r"report)|without asking|(?:didn't|did not) ask (?:him|her) (?:first|before)|ask (?:him|"
         r"her) (?:before|permission)|permission to|allowance|gives me (?:\S+ ){0,2}(?:pounds|"
         r"quid) a "
         r"(?:week|month)|hand over my (?:wages|money|salary)|puts me down|calls me (?:worthless|"
         r"useless|stupid|fat|ugly|names)|walking on eggshells|keeps tabs|goes mad if i'm|"
         r"unless i take (?:him|her) back|threatening to (?:send|share|"
         r"post) (?:\S+ ){0,3}(?:photos|"
         r"pictures|videos|nudes)|says i'm (?:his|hers)|no choice|teach me a lesson|"
         r"won't let me (?:out|wear|work|go out|have)|(?:got|taken|took|has) my passport)"),
    # STALKING
    rule(C.STALKING, r"(?P<h>stalking|stalker|stalked|stalks|harassing|harassment|harasses)",
         veto=_SOCIAL, around=5),
    rule(C.STALKING, r"(?:keeps|kept|keep|constantly|always|been|is|he's|she's|they're) "
         r"(?:\S+ )?(?P<h>following|watching|texting|calling|ringing|messaging|phoning|turning up|"
         r"showing up|waiting for me|hanging around|driving past)", veto=_SOCIAL, around=5),
    rule(C.STALKING, r"(?P<h>followed|follows|following) (?:me|her|him)", veto=_SOCIAL, around=5),
    rule(C.STALKING, r"(?P<h>turned up|turns up|turning up|showed up|shows up|keeps coming|"
         r"comes round) (?:at (?:my )?work|wherever|everywhere|again)"),
    rule(C.STALKING, r"(?:sat|sitting|parked|waiting|standing|hanging around|loitering) "
         r"(?:\S+ ){0,3}(?P<h>outside|across the road|across the street|opposite|near) "
         r"(?:from )?(?:my|the|her)", veto=r"bus stop|taxi", around=4),
    rule(C.STALKING, r"(?:over |about |nearly )?(?P<h>(?:\d+|dozens of|hundreds of|loads of|"
         r"a hundred|two hundred|fifty|forty|thirty|twenty|hundred|constant|non stop|nonstop) "
         r"(?:\S+ )?(?:messages|texts|calls|voicemails|missed calls|times))",
         veto=r"pounds|quid|years|minutes|hours|weeks gone|a week|a day", around=3,
         confidence=0.7),
    rule(C.STALKING, r"(?P<h>tracker|tracking app|tracking device|airtag|air tag|gps tracker|"
         r"find my (?:phone|iphone|friends)|always knows where i am|knows where i am)",
         veto=_SOCIAL, around=4),
    rule(C.STALKING, r"(?P<h>won't leave (?:me|her) alone|messaging constantly|constantly "
         r"messaging|day and night|ringing and ringing|watching (?:me|her|the house|my house|"
         r"my flat|"
         r"my window)|watches me|watched me)", veto=_SOCIAL, around=4),
    # HONOUR_BASED
    rule(C.HONOUR_BASED, r"(?P<h>honour|dishonour|dishonoured|dishonouring|shame on|shamed|"
         r"shaming|brought shame|bring shame|bringing shame|forced marriage|forced to marry|"
         r"(?:forcing|force|make|making|made) me (?:to )?marry|marry (?:my|a|his|her) cousin|"
         r"marry someone|(?:abroad|back home) to (?:get )?marr\w+|(?:take|taking|send|sending) "
         r"me (?:abroad|back home)|family name|family's reputation|izzat|disowned|"
         r"(?:marry|marrying) a (?:man|woman|girl|boy) i've never met)", confidence=0.85),
    # ORDER mentions (turned into ORDER_BREACH at call level once contact is also asserted)
    rule(ORDER, r"(?P<h>(?:non molestation|non-molestation|restraining|protection|occupation|"
         r"court|prohibited steps|dvpo|dvpn|dapo|dapn|domestic violence protection) orders?|"
         r"dvpo|dvpn|dapo|dapn|injunction|on bail|bail conditions?|condition not to)"),
    rule(ORDER, r"(?P<h>not (?:allowed|meant|supposed|permitted) (?:to )?(?:\S+ ){0,2}(?:contact|"
         r"come|be|go|near|within|anywhere|see)|only allowed supervised)", ignore=("negation",)),
    rule(C.ORDER_BREACH, r"(?P<h>breach|breaching|breached|breaking (?:his|her|the) (?:bail|order|"
         r"conditions|injunction))", speakers=ANY_SPEAKER),
    rule(CONTACT, r"(?P<h>(?:rang|rung|ringing|called|calling|texted|texting|messaged|messaging|"
         r"contacted|contacting|emailed) me|(?:taken|took|snatched|picked up) (?:him|her|them|the "
         r"kids|my \S+) (?:from|out of)|sent me)"),
    # SEPARATION
    rule(C.SEPARATION, r"(?P<h>split up|splitting up|split|broke up|broken up|breaking up|"
         r"separated|separating|separation|divorce|divorced|divorcing|getting divorced|"
         r"moved out|left him|left her|leaving him|leaving her|leave him|leave her|leave my \S+|"
         r"ended it|ended things|finished with (?:him|her)|ended the relationship|"
         r"kicked (?:him|her) out|it's over|in a refuge|at a refuge|since we split|i'm leaving)",
         veto=r"a message|at the|in the car|alone|outside|on his own|on her own|"
         r"years ago|ten years|long time ago", around=3, confidence=0.75),
    rule(C.SEPARATION, r"(?:my|her|his) (?P<h>ex|ex-husband|ex-wife|ex-partner|ex-boyfriend|"
         r"ex-girlfriend)(?:'s)?", veto=r"years ago|\d+ years|long time ago|ten years",
         around=10, confidence=0.6),
    # CHILD_CONTACT_CONFLICT
    rule(C.CHILD_CONTACT_CONFLICT, r"(?P<h>custody|contact (?:weekend|visit|visits|order|centre|"
         r"arrangements?|is supervised)|child arrangements|supervised contact|family court|"
         r"handover|hand over the (?:kids|children)|access to (?:the|my|our) <KIDS>|(?:his|her|"
         r"not his|not her) weekend|"
         r"(?:won't|refusing to|refused to|not) (?:bring|give|return) (?:\S+ ){0,2}back|"
         r"court over the (?:kids|children))", ignore=("hypothetical",)),
    rule(C.CHILD_CONTACT_CONFLICT, r"(?:demanding|wants|wanted|demanded|insisting|insists) to "
         r"(?P<h>(?:see|have|take) (?:the|my|our|his|her) <KIDS>)", ignore=("hypothetical",)),
    rule(C.CHILD_CONTACT_CONFLICT, r"(?:won't|don't|not|didn't) let (?:him|her) (?P<h>(?:see|take|"
         r"have) (?:\S+ )?(?:<KIDS>|\S+ this weekend))", ignore=("negation", "hypothetical")),
    # ESCALATION
    rule(C.ESCALATION, r"(?P<h>getting worse|got worse|gets worse|getting more (?:often|frequent|"
         r"violent|regular|serious)|more often|more frequent|more and more|worse and worse|"
         r"worse than (?:ever|before|last time)|worst it's (?:ever )?been|never been this bad|"
         r"never been so bad|never seen (?:him|her) (?:this|so|like this)|escalat\w+|"
         r"every (?:day|night|week) now|now it's every (?:day|night|week)|"
         r"used to (?:just|only) (?:be )?(?:shout|shouting|verbal|push))",
         veto=_NOT_ESCALATION, around=5),
    rule(C.ESCALATION, r"(?P<h>first time (?:he's|she's|he has|she has|he|she) (?:ever )?"
         r"(?:hit|used|strangled|choked|punched|hurt|put|threatened|been violent))", also=(ABUSE,)),
)
# fmt: on
