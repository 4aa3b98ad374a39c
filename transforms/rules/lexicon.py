"""Lexicon: phrases and the concept tags they carry (as Python data).

Each entry is ``(tags, "phrase, phrase, ...")`` in the language of ``transforms.rules.scan``
(``word*`` prefix, ``a|b`` alternatives, ``~n`` gap of up to n words). The type rules
(``transforms.rules.types``) are boolean combinations of these tags over a clause or sentence.

Tag families
- who:   JOURNO (media workers), MEDIA (outlets, the press), CRITIC (critics, opposition,
         bloggers, users), SPEECH (what was said), CONTENT (websites, platforms, films, books),
         DEFENDER, ORG (NGOs, unions, groups), LABOUR (workers' rights), PROTEST (gatherings),
         OBSERVE (election monitoring), STATE / NONSTATE (actors)
- acts:  KILL, ATTACK, FORCE, DETAIN, CHARGE, CENSOR, THREAT, OBSTRUCT, STIGMA, ORGREST,
         DISPERSE, HELD, IMPROVE, RELEASE, IMPUNITY, LAW, RESTRICT
- state:  DENIED (a freedom denied as a standing condition: 'not respected', 'severely
         restricted', 'virtually nonexistent')
- scope: NEG, ALLCLEAR, PLEDGE, PROPOSED, VETO, PASSED, INFORCE, HEDGE, STRONG_HEDGE, CONT,
         HABIT, PRESENT, PAST, VERBAL, CALL
"""

from transforms.rules.scan import Lexicon, build

ENTRIES: list[tuple[tuple[str, ...], str]] = [
    # ---- a freedom respected (all-clear): negated mentions of the general type
    (("ALLCLEAR",), "operate|operates|function|functions|work|works|organize|organise|publish ~2 "
     "freely|independently, operate|operates|function|functions ~3 without ~2 "
     "interference|restriction*|obstruction|hindrance, is|are free and "
     "open|vibrant|lively|diverse|unrestrained|unrestricted|independent, well "
     "respected|protected|upheld, passed|went|ended ~1 without "
     "incident|incidents|interference|restrictions, did not interfere|intervene, without police "
     "interference, police did not interfere, generally|largely|broadly|usually|mostly "
     "respect|respects|respected|upheld|protected|observed|free|honored|honoured|tolerated, "
     "is|are|were|was generally|largely|usually|mostly|relatively "
     "respected|upheld|free|unrestricted, are|is|were|was not restricted|blocked|censored, "
     "is|are|was|were respected|upheld|unrestricted, rights|freedom|freedoms ~2 is|are|were "
     "generally|largely respected|protected|upheld, free from overt|political|government|state, "
     "generally|largely free from, take|took|takes place without "
     "issue*|incident*|interference|restriction*, no significant|major "
     "restrictions|interference|obstacles, no reports ~3 "
     "violation*|restriction*|interference|arrests|attacks|detentions, can|may freely, are|is free "
     "to, free to engage|express|assemble|organize|organise|form, freely "
     "organize|organise|form|assemble, are|is independent and active|vibrant, is|are "
     "robust|vibrant|active|common|diverse|lively, press is generally free, is generally free"),
    # ---- a freedom denied as a standing condition ('freedom of assembly is not respected',
    # 'press freedom is severely restricted', 'independent media are virtually nonexistent'):
    # a continuing mention of the general restrictive type of that freedom
    (("DENIED",), "is|are not respected|recognized|recognised|tolerated|upheld|protected, "
     "severely|heavily|tightly|strictly|harshly|extremely|highly|sharply|drastically|seriously "
     "restricted|limited|curtailed|constrained|controlled|suppressed|repressed|circumscribed|"
     "restricts|restrict|limits|curtails|suppresses|represses, "
     "virtually|practically|effectively|essentially|almost nonexistent|absent|impossible, "
     "nonexistent, non existent, do|does not exist, no independent "
     "media|press|outlets|newspapers|broadcasters|journalism|organizations|organisations|ngos|"
     "unions|associations|civil, no legal|legally ~1 associations|organizations|organisations|"
     "unions|groups|ngos, under state|government|party control, all|most ~2 "
     "media|outlets|newspapers|broadcasters ~3 state|government controlled|run|owned, "
     # state ownership and control of the media ('the government owns all national broadcast
     # media', 'the media sector is owned and controlled by the state')
     "owns|controls|dominates all|most ~3 media|outlets|newspapers|broadcasters|broadcasting, "
     "media|outlets|newspapers|broadcasters|sector ~4 owned|controlled|run by the "
     "state|government|regime|authorities|party, "
     # guarantees ignored as a rule ('guarantees for press freedom are routinely violated')
     "routinely|systematically|consistently|regularly ~2 violated|ignored|disregarded|flouted, "
     # a freedom said to be limited ('freedom of private discussion is limited'), and
     # self-censorship as a standing practice ('journalists consistently exercise
     # self-censorship', 'self-censorship is widespread')
     "freedom|freedoms ~3 is|are|remains|remain limited|restricted|curtailed|constrained, "
     "practice|practise|practices|exercise|exercises|engage|engages ~3 self censorship, "
     "self censorship is|remains widespread|pervasive|common|rampant|prevalent|the norm"),
    # ---- verbal protest (criticism, not an assembly)
    (("VERBAL",), "protested|protest|protesting|protests against ~2 "
     "draft|law|laws|bill|bills|legislation|amendment*|reform|reforms|proposal|proposals|decision|initiative|plan|plans|proposed|new|ban|adoption, "
     "protest|protested|protesting|protests ~2 detention|arrest|imprisonment|sentence|conviction|treatment, spoke|speak|speaks|spoken out, voiced concern*|criticism|opposition"),
    (("CALL",), "called on, calls on, call on, calls for, called for, urged, urges, recommended, "
     "recommends, appealed to, demanded that, requested ~4 to investigate|examine|review|verify, "
     "asked ~4 to investigate, we call, stressed the need, call for, called for, has|have|all "
     "criticised|criticized, protested against, saying it"),
    # ---- pledges, proposals, hedges
    (("PLEDGE",), "pledge|pledged|pledges|pledging, promise|promised|promises|promising, "
     "vow|vowed|vows, undertook|undertake to, committed to, announced plans, would not "
     "sue|allow|tolerate|prosecute|persecute, neither he nor, assured, guaranteed that, stated "
     "that neither, would ~4 not ~2 sue"),
    (("PROPOSED",), "draft*, bill, bills, proposed, proposal*, propose, under consideration, "
     "plans|planned|planning|intends|intended to, not yet signed|adopted, first|second reading, "
     "would require|introduce|oblige|impose|ban|criminalize|criminalise|abolish"),
    (("VETO",), "veto, vetoed, vetoes, returned the law|bill, sent the law back, sent it back, to "
     "veto"),
    (("STRONG_HEDGE",), "alleged*, reportedly, apparently, possibly, fear, fears, feared, concerns "
     "that, could be used|accused|abused|applied|interpreted, might be used|applied, may be "
     "used|abused, can easily be abused, could allow, could affect, may also be affected, was "
     "convinced, were convinced, believed that, believes that, believe that, claimed that, "
     "suspected, allegation*, rumor*, rumour*, reports vary, reports of the incident vary, the "
     "result of an orchestrated, it was believed, there were reports, there are reports, some "
     "reports, reported receiving, reported that ~1 his|her|their, unconfirmed, belief that, said "
     "he|she was|had, said they were|had, claimed he|she|they, he|she|they believed"),
    (("HEDGE",), "may, might, could, according to, reports of, reports about"),
    # ---- continuing / habitual / tense
    (("META",), "this is an update, this special update, this monitor update covers, this update "
     "covers|provides|was, this report covers|surveys, this report which covers, subscribe to, "
     "read more, latest news, photo credit"),
    (("RARE",), "rare, rarely, seldom, uncommon, infrequent, isolated cases, isolated incidents"),
    (("SPEECH",), "incite|inciting|incitement ~2 violence|hatred|unrest"),
    (("SPEECH_REASON",), "for|over|about ~3 "
     "post|posts|tweet*|comment*|article*|video*|song*|poem*|criticism|criticizing|criticising|insult*|remarks|writing*|reporting, "
     "related to ~4 post|posts|tweet*|comment*|social media|article*|criticism, in connection with "
     "~3 post*|article*|publication*|tweet*"),
    (("PLEDGE_OBJ",), "ensure|safeguard|protect|guarantee|grant|granting ~3 freedom|access|rights, "
     "not to allow|tolerate|permit ~3 "
     "persecution|harassment|pressure|attacks|prosecution|censorship, not ~3 "
     "sue|prosecute|persecute|block|ban, end ~2 persecution|harassment|censorship"),
    (("STRIKE", "LABOUR",), "strike, strikes, striking, strikers, went on strike, held strikes"),
    (("PROTEST", "HELD",), "blocked|blocking ~2 "
     "road|roads|highway*|street*|traffic|bridge*|railway*|motorway*"),
    # ---- negation cues (scope: the clause)
    (("NEG",), "no, not, never, neither, nor, without, cannot, didn, don, doesn, wasn, weren, "
     "hasn, haven, free from, protected from, none, nobody, failed to materialize"),
    # ---- killings, attacks, force
    (("KILL",), "killed, killing, killings, murder, murdered, murders, shot dead, assassinated, "
     "death, deaths, died, dies, lethal, fatal*, slain, executed, lost their|his|her life|lives, "
     "shooting deaths, killing*"),
    (("ATTACK",), "assassination attempt, attempted murder, attack, attacked, attacks, attacking, "
     "assault, assaulted, assaults, beat, beaten, beating, beatings, violence, violent, physical "
     "attack*|assault*|abuse, injured, injuries, injuring, injury, wounded, stabbed, arson, set on "
     "fire, set fire, torched, abducted, abduction, kidnapped, kidnapping, forced disappearance, "
     "disappearance, disappeared, shot at, shots, fired on|at, firing on|at, clash, clashes, "
     "clashed, ransacked, vandalized, vandalised, destroyed, acid attack, firebombed, lynched, "
     "mobbed"),
    (("FORCE",), "tear gas, teargas, rubber bullets, water cannon*, stun grenades, pepper spray, "
     "baton*, live ammunition|fire|rounds, excessive|disproportionate|lethal|brutal|indiscriminate "
     "~2 force, used force, use of force, uses force, crackdown, crackdowns, cracked down, crack "
     "down, violently dispers*, use violence, used violence, employed violence, violence against, "
     "forcibly dispers*, police firing, firing on protest*, fired on protest*, shot at protest*"),
    # ---- detention, charges
    (("DETAIN",), "arrest, arrested, arrests, arresting, detain, detained, detaining, detains, "
     "detention, detentions, jail, jailed, jailing, imprison*, prisoner, prisoners, behind bars, "
     "house arrest, incommunicado, held without|incommunicado, locked up, restricted to a, remain "
     "imprisoned, in custody, remain|remains|remained in detention|prison|jail, prison term*, "
     "prison sentence*, years in prison, sentenced to ~3 prison|jail, taken into custody, in "
     "police custody, remanded in custody, held in custody, pretrial custody, rounded up, "
     "apprehended"),
    (("CHARGE",), "charge, charged, charges, charging, prosecute*, prosecution*, prosecuting, "
     "convict, convicted, conviction*, sentence, sentenced, sentences, sentencing, fine, fined, "
     "fines, fining, lawsuit*, libel suit*, defamation suit*, defamation case*, sued, sue, suits, "
     "trial, trials, indicted, indictment, found guilty, criminal "
     "case*|proceedings|investigation|complaint*, legal proceedings, court case, accused of, case* "
     "~3 pending, pending in court, court hearing*, hearing, hearings, proceedings, case against, "
     "referred ~5 prosecutors, summoned to court, criminally, penalised, penalized, guilty, "
     "defaming, put on trial, harsh|severe|heavy|harsher|tough punishment|punishments, "
     "punished|punishment|punishments for ~3 "
     "post|posts|criticism|critical|speech|dissent|assembling|protest*|participat*|expressing|"
     "their, face|faces|faced|risk|risks punishment|punishments"),
    # ---- censorship
    (("CENSOR",), "block, blocked, blocking, blocks, censor, censored, censorship, censoring, shut "
     "down, shutting down, shutdown, shutdowns, suspend, suspended, suspending, suspension, "
     "delet*, removed, removal, remove, taken off|down, off the air, jammed, jamming, confiscated "
     "~2 copies|print|newspaper*|issues|books|publications, withdrew|revoked|revoke|withdrawn ~3 "
     "licenses|licences|license|licence|accreditation, restrictions on access, restricted access, "
     "restricted coverage, restricted ~2 coverage, internet "
     "restrictions|shutdown*|outage*|disruption*, banned the "
     "film*|book*|broadcast*|newspaper*|website*, "
     "books|films|content|websites|newspapers|publications ~3 banned, subject to censorship, "
     "internet ~3 cut|shut|blocked|restricted|disrupted|suspended, cut ~3 internet|access, "
     "access ~2 cut, restrictions on the flow, restrictions on access, taken offline, throttl*, "
     "banned ~2 from "
     "posting, jam, jams, controls|control|controlled|runs|dominates ~3 "
     "all|nearly|most|virtually|domestic ~3 "
     "media|press|outlets|broadcast*|newspapers|television|radio|content|publications|"
     "news|internet, "
     "controls|control|dominates domestic|the media|press|content|news|internet|information, "
     "control over|of ~3 media|press|internet|information|outlets|broadcast*|content|news, "
     "monopoly over|on ~3 information|media|broadcast*|news, ban on ~2 broadcast*, blacklist*, "
     "closed ~2 outlet*|newspaper*|station*|channel*"),
    # ---- intimidation, obstruction
    (("THREAT",), "threat, threats, threatened, threatening, harass, harassed, harassment, "
     "harassing, intimidate, intimidated, intimidates, intimidation, intimidating, pressure, "
     "pressured, pressuring, summon, summons, summoned, summoning, questioned, questioning, "
     "interrogat*, searched, searches, search of, raid, raided, raids, surveillance, surveil*, "
     "wiretap*, phone tapping, spyware, hacked, hacking, seized, seizure, closely monitor*, "
     "monitoring of, monitor* ~2 discussions|communications|journalists|activists|critics, "
     "confiscated ~3 phone*|laptop*|device*|computer*|equipment, monitor their|his|her "
     "online|phone|communications, listen to their phone*, smear, smeared, smears, smear "
     "campaign*, retribution, enemy of, complained about, difficulty securing|obtaining, denied ~1 "
     "visa*, visa* denied|refused, expelled, deported, deportation, travel ban*, leadership "
     "changes, interference, break ins, break in, burglar*, obstruct*, political pressure, doxx*, "
     "trolling, online abuse, blackmail*, spied, spying, vulnerable to, interfere with, put "
     "pressure, putting pressure, tracking, informants, informers, eavesdrop*, "
     "cracked|crack|cracking|clamped|clamp|clamping down on ~2 independent|the "
     "media|press|journalists|outlets|bloggers|critics|dissent, "
     "communication|communications|calls|conversations ~3 monitored|intercepted|tapped, "
     "dismissal from ~2 employment|job|jobs|work, job dismissal*, dismissed from ~2 "
     "job|jobs|post|posts|position|positions, lost their|his|her job|jobs"),
    (("OBSTRUCT",), "imposed|forced|forcing ~3 arbitration, "
     "discourage, discourages, discouraged, discouraging, demotion*, dismissed for, "
     "fired for, inspection*, audit*, problems with obtaining, preventing them, crack down on, "
     "cracked down on, retribution, obstruct*, hampered, hinder*, preventing them, denied access, "
     "barred, disrupt*, difficulties, interfere, interference"),
    (("STIGMA",), "discredit*, stigmati*, vilif*, traitor*, enemies of the state|people, foreign "
     "agent*, threaten ~3 national|state security, threatening ~3 national|state security, "
     "politicisation, politicization, overpoliticisation, overpoliticization, spend their grants, "
     "lack of initiative|competency|competence, grant eaters, western funded, foreign funded, "
     "accused civil|ngos|activists|defenders|them, accusing civil|ngos|activists|defenders|them, "
     "excessive politicisation|politicization, smear campaign*, labelled|labeled ~2 "
     "agents|traitors|enemies"),
    (("ORGREST",), "deny|denied|denial|refuse|refused|refusal|rejected|revoke|revoked ~3 "
     "registration|accreditation|license|licenses|licence|licences, "
     "registration|accreditation ~2 denied|refused|revoked, "
     "refused|refuse|denied|declined ~2 to register|reregister, deregist*, liquidat*, dissolved, "
     "dissolution, dissolve, undesirable, foreign agent*, assets|accounts ~2 frozen, froze ~2 "
     "assets|accounts, terminate the mandate, outlawed, outlaw, closed down, closed ~2 "
     "office*|organi*|ngo*|group*|union*|association*|foundation*, offices ~3 closed, closure, "
     "closures, shut down, banned, ban, suppressed, unable to organize|organise|register, "
     "extremist organization*|organisation*, shut, forced to close, stripped of ~2 "
     "registration|license|licence, blacklisted, suspended the activities, suspended ~3 activities"),
    # ---- assemblies
    (("DISPERSE",), "disperse, dispersed, dispersal, dispersing, broke up, broken up, break up, "
     "banned, ban, bans, prohibit*, refused ~2 permit*, denied ~2 permit*, deny ~2 permit*, "
     "refusal ~2 permit*, disrupt*, prevent, prevented, preventing, preempt*, pre empt*, blocked, "
     "blocking, hinder*, kettl*, discourage*, dissent will not be tolerated, interference, "
     "obstruct*, restricted, restrict, restriction*, violations of ~2 rights, violation* of the "
     "rights, cancelled, canceled, not allowed, not permitted, to disperse, unauthorized, "
     "unauthorised, curfew, lockdown, refused|refuse|denied|declined ~2 "
     "authorise|authorize|authorisation|authorization|permission|approval"),
    (("HELD",), "held, staged, took place, take place, takes place, took to the streets, gathered, "
     "marched, organized, organised, turned out, participated, took part, joined, are common, is "
     "common, was peaceful, were peaceful, peaceful, peacefully, went ahead, continued to use "
     "their right, exercise ~2 right, exercised ~2 right, exercising ~2 right, well attended, "
     "thousands of, hundreds of, regularly|frequently ~2 take place, held strikes, went on strike"),
    # ---- improvements
    (("IMPROVE", "RELEASE",), "released, release, releasing, freed, acquit*, pardon*, amnest*, "
     "charges ~2 dropped, charge ~2 dropped, dropped ~1 charges, was dropped, were dropped, "
     "released on bail, conditional release"),
    (("IMPROVE",), "lift, lifted, lifting, lifts, restored, restore, restoring, repeal, repealed, "
     "repealing, withdrew the draft|bill|law|amendment*|proposal, overturn, overturned, "
     "overturning, struck down, nullified, reinstated, unblocked, eased, easing, ruled ~2 "
     "favor|favour, unconstitutional, set up a commission, decriminali*, registration ~2 granted, "
     "granted ~2 registration, resumption, score improved, improved, convicted ~3 "
     "attack*|murder*|assault*, increase state support, revoked the ban, returned the law, vetoed, "
     "veto, rescinded, reversed, quashed, compensation, allowing the, were allowed, was allowed"),
    # ---- impunity
    (("IMPUNITY",), "impunity, held accountable, held to account, failed to ~2 investigat*, "
     "has|have yet to ensure|bring|investigate|identify, yet to ensure justice, unresolved, "
     "unpunished, unsolved, remained|remains|remain at large, no one has been, no one was, no "
     "police, no officers, have faced no, has faced no, investigation ~6 continued|continues|re "
     "opened|reopened|closed, incomplete investigation, no accountability, the investigation "
     "continues, investigation into ~5 death|killing|murder|attack, denied that, no violations, "
     "police|authorities|officials claiming|claimed|insisted|maintained, failure to investigate, "
     "not been investigated, failed to adequately investigate, perpetrators ~3 not|never|no, "
     "unidentified perpetrators, concerns about its thoroughness, lack of accountability, without "
     "accountability, has|have|had not ~1 investigated|prosecuted|punished|identified|charged, not "
     "been investigated|punished|prosecuted, acquitted ~3 "
     "men|suspects|officers|policemen|attackers|perpetrators|accused|defendants"),
    # ---- laws and restrictions
    (("LAW",), "law, laws, legislation, legislative, decree, decrees, regulation, regulations, "
     "bill, bills, act, code, amendment*, provision*, rules, requirement*, obligations, empowers, "
     "empower, authorizes, authorises, gives ~3 powers, allows the, scheme, statute*, ordinance*, "
     "constitution, legal framework|restrictions|provisions|amendment*|requirement*, criminal "
     "offense|offence, offense*|offence* punishable, punishable, state of emergency, emergency "
     "measures|rules|powers|decree, curfew, curfews, policies, powers to, sweeping powers, "
     "lobbying law, permit*, licensing, not allowed to, not permitted to, prohibited from, banned "
     "from, barred from, obligated, obliged, obliges, must register, required to, is required, are "
     "required, law*, imposed ~3 restrictions|ban|bans|limits|limitations"),
    (("RESTRICT",), "restrict*, require, requires, required, requiring, requirement*, must, "
     "obligat*, oblig*, prohibit*, criminali*, tighten*, control, controls, controlled, not "
     "allowed, not permitted, only after, permits are required, permit is required, need to give, "
     "notice to, punishable, penalt*, burdensome, discriminatory, unjustified, problematic, "
     "controversial, widely criticised, widely criticized, sweeping, vague*, broad, broadly, "
     "harsh, strict, heavy, impose*, imposing, banned all, disperse assemblies, limit, limits, "
     "limiting, limited, limitation*, powers to, reporting burden|obligations|scheme, tracking of, "
     "surveillance of people, inhibited, threat of punishment, criminal offense|offence, remove "
     "any content, might be blocked, be blocked, new restrictions, strengthening state control, "
     "state controlled, abolished, abolish, eligibility, restrictive, interfere with, banned, ban, "
     "bans, heavy fines, fines, imprisonment"),
    # ---- who
    (("JOURNO",), "journalist associations, journalists associations, union of journalists, "
     "journalists union, journalist*, reporter*, correspondent*, cameraman, cameramen, camera "
     "operator*, photojournalist*, editor, editors, editor in chief, media worker*, media "
     "representatives, members of the media|press, newsroom*, press freedom advocates, "
     "broadcaster*, media professionals, media personnel, writers for, columnist*, presenter*, "
     "anchor*"),
    (("JOURNO", "CRITIC",), "blogger*, vlogger*, podcaster*, youtuber*"),
    (("MEDIA",), "media, press, news outlet*, media outlet*, outlets, newspaper*, radio, "
     "television, tv, station, stations, channel, channels, news "
     "agency|agencies|website*|site*|portal*, broadcasting corporation|company|commission, "
     "publisher*, magazine*, broadcast*"),
    (("CONTENT",), "website*, web sites, online, internet, content, video, videos, post, posts, "
     "tweet*, platform*, twitter, facebook, youtube, tiktok, telegram, instagram, whatsapp, social "
     "media, social network*, book, books, film, films, movie*, article*, publication*, coverage, "
     "broadcast*, news, information, accounts, material, vpn*, messaging, communications, "
     "telecommunications, phone calls"),
    (("SPEECH",), "expression, speech, critical of|views|coverage|reporting|remarks|comments, "
     "insult, insults, insulting, defamation, libel, slander, false news|information, fake news, "
     "disinformation, spreading rumors|rumours|false, for a|their|his|her "
     "post|tweet|comment|article|song|poem|statement|report|posts|tweets|comments|articles, "
     "sedition, seditious, blasphemy, lese majeste, their views, what they "
     "said|wrote|published, opposition activities on social media, discussion, discussions, "
     "speaking out, self censorship, dissent, political views, free speech, offending, offensive, "
     "hate speech, propaganda, content, published, posted, wrote, reporting on, coverage of, for "
     "reporting, social media"),
    (("CRITIC",), "critic, critics, dissident*, opposition "
     "figure*|politician*|activist*|leader*|member*|supporter*|parties|party, "
     "political|opposition|social|online|youth|student activist*, political prisoner*, activist, "
     "activists, student, students, user, users, citizens, individuals critical, "
     "politicians, comedian*, artist*, musician*, writer, writers, academic*, scholar*, "
     "whistleblower*, whistle blower*, people critical, persons critical, teacher*, cleric*, "
     "imam*, rapper*, poet*, internet users, social media users"),
    (("DEFENDER",), "human rights defender*|activist*|lawyer*|worker*, defender, defenders, hrd, "
     "hrds, civic|environmental|land|labor|labour|union|indigenous activist*, civil society "
     "activist*, activists that focus, ngo leader*|head*|director*|worker*|staff, head of the ngo, "
     "union leader*|member*|activist*|official*, labor|labour leader*, trade unionist*, election "
     "observer*, citizen observer*, observers, observer, monitors, volunteer, volunteers, leader "
     "of, rights activist*"),
    (("ORG",), "ngo, ngos, nongovernmental, non governmental, civil society, organization*, "
     "organisation*, cso, csos, union, unions, unionize, unionise, union activity, associations, "
     "association, foundation*, charity, charities, group, groups, watchdog*, bargain "
     "collectively, collective bargaining, right to strike, antiunion, anti union, grantees, "
     "donors, civic groups, nonprofit*, non profit*, legitimate associations, religious groups"),
    (("LABOUR",), "union, unions, unionize, unionise, union activity, bargain collectively, "
     "collective bargaining, right to strike, antiunion, labor rights, labour rights, workers, "
     "strike, strikes, trade union*, employers"),
    (("OBSERVE",), "monitor the ~2 election*, monitor ~2 elections, election "
     "monitoring|observation|observers|observer*, observers, observer, to monitor the election*, "
     "observing the election, vote protocols, deploy monitors, deployed monitors, monitoring "
     "activities"),
    (("PROTEST",), "protest, protests, protested, protesting, protester*, protestor*, "
     "demonstration*, demonstrator*, demonstrated, demonstrating, rally, rallies, protest march*, "
     "a march, marches, marchers, gathering, gatherings, assembly, assemblies, picket*, sit in, "
     "sit ins, street*, vigil*, civil disobedience, blocking roads, public events, postelection "
     "protest*, antigovernment protest*, marched, "
     "the|a|annual|pride|peaceful|protest|solidarity|silent march, pride event*|parade*"),
    (("ASSEMBLY_RIGHT",), "freedom of ~1 assembly, right to ~1 assembly, right to protest, "
     "assembly rights, rights of protesters, assembly law, public assembly, peaceful assembly"),
]



# tags read only by the status and role rules: scanned only in sentences that report an event
SCOPE_ENTRIES: list[tuple[tuple[str, ...], str]] = [
    (("PASSED",), "parliament ~2 passed, passed by parliament, lawmakers ~2 passed, deputies ~2 "
     "passed"),
    (("INFORCE",), "signed into law, signed by the president, signed it, entered into force, took "
     "effect, came into force, in force, was adopted, were adopted, adopted in, has adopted, have "
     "adopted, enacted"),
    (("CONT", "STRONG_CONT",), "as covered, covered before|previously|earlier, previous update, "
     "previously reported, still, pending, yet to, long standing, longstanding, a history of, "
     "since the coup|then|2*|1*, remains in|under, remained in|under, remain in|under, for more "
     "than a year, for years"),
    (("CONT",), "for the second|third|fourth|fifth|sixth year, remain, remains, remained, "
     "remaining, continue*, ongoing, persist*, once again, yet again, has been, have been, had "
     "been, in recent years, over the years, earlier, had blocked|banned|detained|arrested|closed, "
     "previously, already"),
    (("HABIT",), "regularly, routinely, often, frequently, sometimes, occasionally, commonly, "
     "generally, repeatedly, increasingly, typically, periodically, at times, in practice, "
     "widespread, systematic*, are known to, tend to, many, numerous, face, faces, are subject to, "
     "is subject to, are subjected to"),
    (("STATE",), "police, policemen, authorities, government, security "
     "services|forces|officers|agents, official*, ministry, minister*, president, prime minister, "
     "parliament, court, courts, prosecutor*, military, army, soldiers, state, intelligence, law "
     "enforcement, regulator*, commission, cec, cabinet, mps, judge*, governor*, mayor*, "
     "municipal*, troops, national guard, officer*, junta, regime, ruling party, state media, "
     "lawmakers, deputies, administration, public officials, politicians, inspectors, tax "
     "authorities, riot police, prosecutor general, security service"),
    (("NONSTATE",), "unidentified, unknown "
     "men|assailants|attackers|persons|individuals|people|gunmen, gunmen, mob, mobs, thugs, "
     "supporters, far right, extremists, criminal organizations|organisations|groups, employers, "
     "company, companies, youtube, facebook, twitter, google, meta, tiktok, platform, militants, "
     "armed groups, vigilantes, private employers, private, nonstate, non state, religious "
     "extremists, business representatives, businessmen, businessman, oligarch*"),
]

LEXICON: Lexicon = build(ENTRIES)
SCOPE_LEXICON: Lexicon = build(SCOPE_ENTRIES)
