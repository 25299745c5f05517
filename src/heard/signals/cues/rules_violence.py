"""Rules for physical and sexual violence, weapons and threats to kill."""

from __future__ import annotations

from heard.signals.cues.rules_base import ABUSE, ANY_SPEAKER, Rule, rule
from heard.signals.cues.taxonomy import CueCode as C

_GAME = (
    r"game|games|gaming|xbox|playstation|ps4|ps5|fortnite|call of duty|minecraft|roblox|"
    r"online|headset|console|telly|tv|banter|joke|joking|jokes|laugh\w*|film|movie|boxing|"
    r"play fighting|toy|toys|project"
)
_FOOD = (
    r"choking on|choked on|chokes on|choke on|choked up|grape|grapes|sweet|sweets|food|steak|"
    r"bone|crisps?|sandwich|toy|coin|lego|piece of|dinner|popcorn|nut|peanut|smoke|fumes|"
    r"laugh\w*|asthma|inhaler|panic attack|fire|covid|chest|copd|allerg\w*"
)
_WEAPONS = (
    r"(?:knife|knives|blade|machete|axe|gun|guns|shotgun|rifle|pistol|firearm|crossbow|sword|"
    r"cleaver|shank|chib|taser|acid|ammonia|hammer|baseball bat|cricket bat|bat|crowbar|"
    r"screwdriver|scissors|broken bottle|iron bar|poker|golf club|hockey stick|meat cleaver)"
)
_OBJECTS = (
    r"(?:mug|cup|glass|bottle|plate|chair|kettle|iron|belt|shoe|remote|frying pan|pan|lamp|"
    r"vase|brick|stick|ashtray|boiling water|hot water|ornament|hairdryer|plank|pole|bar|"
    r"phone|controller|stool|table leg)"
)
_NOT_WEAPON = (
    r"bread|sandwich|sandwiches|butter|cooking|chopping|vegetables|knife and fork|toy|nerf|"
    r"water pistol|water gun|glue gun|nail gun|cap gun|found|bakery|clay|pigeons?|range"
)
_NOT_INJURY_BEFORE = r"(?:cat|dog|puppy|kitten|horse|rabbit|pet)(?:'s)?"
_MEDICAL = r"stabbing pain|chest pain|heart|fallen|fell|fall|slipped|tripped|ice|stroke|crash"

# fmt: off
VIOLENCE_RULES: tuple[Rule, ...] = (
    # INJURY
    rule(C.INJURY, r"(?P<h>bleeding|bleed|bleeds|blood everywhere|covered in blood|"
         r"pouring with blood|blood all over|blood on (?:my|her|his|the))",
         veto_before=_NOT_INJURY_BEFORE, around=5),
    rule(C.INJURY, r"(?P<h>broken|broke|fractured|dislocated|cracked|chipped) (?:my |her |his )?"
         r"(?:\S+ )?(?:nose|arm|wrist|ribs?|jaw|fingers?|tooth|teeth|leg|ankle|cheekbone|"
         r"collarbone|hand|eye socket)"),
    rule(C.INJURY, r"(?:nose|arm|wrist|ribs?|jaw|finger|tooth|teeth|leg|ankle|hip|eye|face|head|"
         r"lip|mouth|cheek|cheekbone|collarbone|shoulder|knee|elbow|hand|neck|back)(?:'s)? "
         r"(?:is |are )?(?:\S+ ){0,3}(?P<h>broken|fractured|"
         r"chipped|swelling up|swollen|cut|bleeding|hurts|really hurts|killing me)",
         veto=_MEDICAL, around=5),
    rule(C.INJURY, r"(?P<h>black eye|split lip|fat lip|lip is split|split and swollen|swollen|"
         r"bruise|bruises|bruised|bruising|blistered|blisters|scalded|burns|concussion|unconscious|"
         r"knocked (?:me|her|him) out|stab wound|head injury|stitches|bite marks?|scratched my|"
         r"scratched her|red mark|marks (?:on|all round|round|around) (?:my|her)|"
         r"neck is all red|hurt my (?:back|arm|leg|hip|head|neck|wrist|hand|ribs|face|knee)|"
         r"it's really sore|really sore|can't move my \S+|"
         r"can't get up|cut (?:above|on|to|in|under) (?:my|her|his)|got a cut|a cut on|"
         r"cut my wrists|cut her \S+|cut my \S+|i'm hurt|i'm injured|she's hurt|she's injured|"
         r"he's hurt|bit me)", veto=_MEDICAL, around=5),
    # STRANGULATION
    rule(C.STRANGULATION, r"(?P<h>strangle|strangled|strangles|strangling|strangulation)",
         confidence=0.9),
    rule(C.STRANGULATION, r"(?P<h>choked|choking|chokes|choke|throttled|throttling)",
         veto=_FOOD, around=6),
    rule(C.STRANGULATION, r"(?:hands?|arms?|fingers|belt|rope|cable|lead|scarf|forearm) "
         r"(?:\S+ )?(?:round|around|on|against|across|over) (?:my|her|his|the) (?P<h>neck|throat)",
         confidence=0.9),
    rule(C.STRANGULATION, r"(?:grabbed|grab|grabs|held|holds|holding|squeezed|squeezing|pinned|"
         r"pin|gripped|got|had) (?:me|her|him) (?:by|round|around) the (?P<h>throat|neck)",
         confidence=0.9),
    rule(C.STRANGULATION, r"(?:squeezed|squeezing|grabbed|pressed|pressing|crushed) (?:my|her) "
         r"(?P<h>throat|neck|windpipe)"),
    rule(C.STRANGULATION, r"(?P<h>(?:couldn't|could not|can't|cannot|could hardly) breathe)",
         veto=_FOOD, around=8, confidence=0.7),
    rule(C.STRANGULATION, r"(?P<h>suffocate|suffocated|suffocating|suffocates)",
         veto=r"hot|heat|boiling|car|in there|dog|stuffy|traffic|work|laugh\w*", around=6),
    rule(C.STRANGULATION, r"(?:pillow|bag|hand|plastic bag) over (?:my|her) "
         r"(?P<h>face|mouth|head)"),
    rule(C.STRANGULATION, r"(?:held|holding|pushed|pushing|forced) (?:me|my head|her|her head) "
         r"under (?:the )?(?P<h>water|bath)|(?P<h2>drowned|drowning|drown) (?:me|her)"),
    rule(C.STRANGULATION, r"(?P<h>headlock|chokehold|choke hold)"),
    # WEAPON
    rule(C.WEAPON, r"(?:got|has|have|had|holding|held|hold|with|waving|waved|wielding|grabbed|"
         r"grabbing|picked up|pulled out|pulled|brandishing|carrying|carries|keeps|kept|pointing|"
         r"pointed|came at me|went for me|owns|access to|bought|hidden|hides|photo of|picture of|"
         r"threatening me|there's) (?:\S+ ){0,3}(?P<h>" + _WEAPONS + r")",
         veto=_NOT_WEAPON, around=8, confidence=0.85),
    rule(C.WEAPON, r"(?P<h>" + _WEAPONS + r") (?:to|against|at|in) (?:my|her|his) "
         r"(?:throat|neck|face|chest|head|back|stomach)", confidence=0.9),
    rule(C.WEAPON, r"(?P<h>stabbed|glassed|bottled|shot) (?:me|her|him|us|my \S+|in)",
         veto=r"match|game|goal|football|penalty|photo|camera|pool|snooker|vaccine|jab|flu|"
         r"booster|tequila|vodka|drink|farmer", also=(C.INJURY,), confidence=0.9),
    rule(C.WEAPON, r"got (?P<h>glassed|bottled|stabbed)", also=(C.INJURY,), confidence=0.9),
    rule(C.WEAPON, r"(?:hit|hitting|hits|beat|beating|beats|battered|whacked|smacked|attacked|"
         r"threatened|threatening|went for|came at|coming at|chased|chasing|used) "
         r"(?:me|her|him|us|my \S+) with (?:\S+ ){0,2}(?P<h>" + _OBJECTS + "|" + _WEAPONS + r")",
         confidence=0.85),
    rule(C.WEAPON, r"(?:threw|throwing|thrown|chucked|lobbed|hurled|throws) (?:\S+ ){0,3}"
         r"(?P<h>" + _OBJECTS + "|" + _WEAPONS + r") (?:\S+ ){0,3}(?:at|over) (?:me|her|him|us|my)",
         confidence=0.85),
    rule(C.WEAPON, r"used (?:a|the|his|her) (?P<h>" + _OBJECTS + "|" + _WEAPONS + r") on"),
    # THREAT_TO_KILL
    rule(C.THREAT_TO_KILL, r"<SAY> (?:\S+ ){0,12}?(?P<h>(?:kill|murder|shoot|stab|bury|strangle) "
         r"(?:me and )?(?:<VICTIM>|the kids|the children|the baby|my (?!<PET>(?!\S))\S+)|"
         r"slit (?:my|your|her) "
         r"throat|finish (?:me|you|her) off|end (?:my|your|her) life|take (?:me|us|you) with "
         r"(?:her|him))", ignore=("modal",), veto=_GAME, around=10, confidence=0.9),
    rule(C.THREAT_TO_KILL, r"(?P<h>threat(?:s|ened|ening|ens)? to kill|death threats?|"
         r"threats to kill)", veto=_GAME, confidence=0.9),
    rule(C.THREAT_TO_KILL, r"(?:i'll|ill|i will|i'm going to|i am going to) (?P<h>kill you|"
         r"murder you|end you|slit your throat|kill the lot of you|kill you all)",
         veto=_GAME, around=10, confidence=0.8),
    rule(C.THREAT_TO_KILL, r"(?P<h>you're dead|you are dead|you're a dead (?:man|woman)|"
         r"you won't (?:live to )?see (?:the )?(?:morning|tomorrow))", veto=_GAME, around=10),
    # ONGOING_ASSAULT
    rule(C.ONGOING_ASSAULT, r"(?:<HES>|<NP>(?:'s| is)|<NPS>) (?:\S+ )?(?P<h>hitting|punching|"
         r"kicking|beating|attacking|strangling|choking|hurting|stabbing|battering|slapping|"
         r"headbutting|biting|dragging|laying into|throttling|killing|beating up) "
         r"(?:me|her|him|us|them|mum|my \S+|his \S+|her \S+)",
         veto=_GAME + r"|walls?|door|each other in the game", around=8, confidence=0.9,
         also=(ABUSE,)),
    rule(C.ONGOING_ASSAULT, r"(?P<h>get off me|get off of me|get off her|get off him|"
         r"stop hitting me|let go of me|let me go|get off get off|please stop|no stop)",
         confidence=0.75),
    rule(C.ONGOING_ASSAULT, r"(?:punching|hitting|kicking|fighting|attacking) each other|"
         r"(?P<h>being (?:kicked|hit|beaten|attacked|stabbed|punched))", veto=_GAME),
    rule(C.ONGOING_ASSAULT, r"(?P<h>\[[^\]\s]*(?:scream|struggle|fight|bang|crash|smash|thud|"
         r"hitting|slap)[^\]\s]*\])", speakers=ANY_SPEAKER, confidence=0.7),
    rule(C.ONGOING_ASSAULT, r"(?:i can hear|i could hear|can hear|hear) (?:\S+ ){0,3}"
         r"(?P<h>screaming|screams|being hit|hitting|fighting|a fight|thuds|struggling|"
         r"crying out|choking|a struggle)", speakers=ANY_SPEAKER, veto=_GAME, confidence=0.75),
    # SEXUAL_ABUSE
    rule(C.SEXUAL_ABUSE, r"(?P<h>rape|raped|raping|rapes|sexually (?:assaulted|abused|assaulting|"
         r"abusing)|sexual (?:assault|abuse|violence)|forced (?:me|her) to (?:have sex|"
         r"do (?:things|"
         r"stuff)|sleep with)|forces (?:me|her) to have sex|made me have sex|makes me have sex|"
         r"(?:forces|forced|forcing) himself on (?:me|her)|makes me do (?:things|stuff)|"
         r"had sex with me while|won't take no for an answer)", confidence=0.9, also=(ABUSE,)),
    rule(C.SEXUAL_ABUSE, r"(?P<h>touches me|touched me|touching me|groped|gropes)",
         veto=r"on the (?:arm|shoulder|back|hand)", around=4, confidence=0.7),
    # ANIMAL_ABUSE
    rule(C.ANIMAL_ABUSE, r"(?:kicked|kicks|kicking|hit|hits|hitting|hurt|hurts|hurting|killed|"
         r"kills|killing|strangled|strangling|choked|choking|threw|thrown|throws|throwing|drowned|"
         r"drowning|stabbed|burned|burnt|beat|beats|beating|beaten|stamped on|punched|slammed|"
         r"poisoned|starved|shook|grabbed|squeezed) (?:\S+ ){0,1}(?:the|my|our|his|her|their) "
         r"(?P<h><PET>)", veto_before=r"<PET>(?:'s)?|car", around=3, confidence=0.85,
         also=(ABUSE,)),
    rule(C.ANIMAL_ABUSE, r"<SAY> (?:\S+ ){0,6}(?:kill|hurt|drown|get rid of|poison) "
         r"(?:the|my|our) (?P<h><PET>)", ignore=("modal",)),
    # CHILDREN_AT_RISK
    rule(C.CHILDREN_AT_RISK, r"(?:hit|hits|hitting|hurt|hurts|hurting|smacked|smacks|slapped|"
         r"slaps|punched|punches|kicked|kicks|grabbed|grabs|threw|throws|pushed|pushes|shook|"
         r"shakes|shaking|beat|beats|beating|strangled|choked|attacked|battered|burned|burnt|"
         r"dragged|does this to) (?:\S+ )?(?:the|my|our|his|her) (?P<h><KIDS>)",
         veto=_GAME + r"|football|ball", around=5, confidence=0.85, also=(ABUSE,)),
    rule(C.CHILDREN_AT_RISK, r"(?:<SAY>|<HE_WILL>) (?:\S+ ){0,4}(?:kill|hurt|harm|take|snatch|"
         r"get) (?:me and )?(?:the|my|our|his|her) (?P<h><KIDS>)", ignore=("modal",),
         veto=_GAME, confidence=0.85),
    rule(C.CHILDREN_AT_RISK, r"(?:the|my|our) (?P<h><KIDS>) (?:is|are|was|were|got) "
         r"(?:\S+ )?(?:hurt|hit|injured) by (?:him|her|them|my|his)"),
)
# fmt: on
