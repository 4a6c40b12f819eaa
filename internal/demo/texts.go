package demo

// Template phrases. Placeholders: {b} a mention of the brand (a name or, on
// social sources, the handle), {svc} a part of the product, {feat} a feature,
// {comp} a competitor. The words are plain on purpose ("love", "broken",
// "unacceptable"), so that a simple lexicon scorer agrees with the intent.

var positiveTexts = []string{
	"Just migrated our staging cluster to {b} and it was painless. Love it.",
	"Shoutout to {b} support, they fixed my billing issue in ten minutes. Great service.",
	"The new {b} {svc} is really fast. Great work, team.",
	"Been running production on {b} for two years, rock solid. Highly recommend.",
	"{b} docs are excellent, had my first deploy live in under an hour.",
	"Thanks {b} for the free tier, perfect for side projects.",
	"Honestly {b} has the best developer experience of any cloud I have used.",
	"Our bill dropped 30% after moving to {b}. Very happy.",
	"{b} just shipped {feat} and it works great. Thanks!",
	"Love how simple the {b} {svc} is. Nice job.",
	"Switched from {comp} to {b} last month, zero regrets. Fantastic.",
	"Impressed by {b} reliability this quarter. Great uptime.",
	"Kudos to the {b} team, the new {svc} is a big improvement.",
	"The {b} CLI is a joy to use. Awesome tooling.",
	"Great talk from the {b} folks at the meetup tonight, learned a lot.",
	"Happy {b} customer here, support is friendly and helpful.",
	"{b} made our deploys so much easier. Love this product.",
	"Really enjoying {b} so far, everything just works.",
	"Finally got {feat} on {b}. Excellent, thank you!",
	"Five stars for {b}, the {svc} is clean and fast.",
	"Big thanks to {b} for the quick answer on the forum. Helpful as always.",
	"Our team loves {b}. Best decision we made this year.",
}

var neutralTexts = []string{
	"Does {b} support IPv6 on load balancers yet?",
	"Anyone running Postgres 17 on {b}? Curious about your setup.",
	"How do I rotate API keys in {b} without downtime?",
	"Is there a way to export {b} billing data as CSV?",
	"{b} announced {feat} in today's changelog.",
	"Looking at {b} vs {comp} for a new project, what should I consider?",
	"Which region does {b} recommend for customers in Brazil?",
	"Feature request for {b}: {feat}.",
	"Reading the {b} pricing page, is egress billed per GB?",
	"We are evaluating {b} for our data pipeline next quarter.",
	"{b} is hosting a webinar on Kubernetes networking on Thursday.",
	"Does the {b} Terraform provider cover the new {svc} endpoints?",
	"Would be nice if {b} had {feat}.",
	"Anyone know the rate limits on the {b} {svc}?",
	"Moving a side project to {b} this weekend, will report back.",
	"What is the max object size on {b} object storage?",
	"Has anyone tried {feat} on {b} yet?",
	"Writing a blog post comparing {b} and {comp} for small teams.",
	"Question for {b} users: how do you handle secrets in CI?",
	"The {b} {svc} changed its default timeout to 30 seconds.",
}

var complaintTexts = []string{
	"{b} {svc} is slow today, pages take forever to load.",
	"Annoyed that {b} still has no {feat}. Disappointing.",
	"{b} billing is confusing, got charged twice this month.",
	"The {b} {svc} keeps logging me out. Frustrating.",
	"Support ticket with {b} open for three days, no reply. Not great.",
	"The {b} price increase is a bad surprise for small teams.",
	"Why is the {b} docs search so bad?",
	"Deploys on {b} failing randomly this morning, annoying.",
	"The new {b} dashboard design is worse, hard to find anything.",
	"Disappointed with {b} support response times lately.",
	"The {b} CLI update broke my scripts again. Poor testing.",
	"{b} {svc} errors again today. Getting tired of this.",
	"Still no {feat} on {b}, {comp} had it a year ago. Sad.",
	"Hate that {b} makes it so hard to delete an account.",
}

var outageTexts = []string{
	"@acmecloud is down again?? Our whole app is broken.",
	"Can't log in to Acme Cloud. Login page just spins. #acmedown",
	"Getting 500 errors from the Acme Cloud API on every request.",
	"Acme Cloud API returning 503s, production is down. This is unacceptable.",
	"Is Acme down for everyone or just me? Login fails every time.",
	"@acmecloud your API is broken and the status page says nothing. Terrible.",
	"Third outage this quarter. Acme Cloud is unreliable, we are switching providers.",
	"Acme Cloud down, customers can't check out, we are losing money. Awful.",
	"Login broken on Acme Cloud, 2FA codes rejected. Useless.",
	"@acmecloud any ETA? Everything is failing. #acmedown",
	"Acme API errors everywhere. Worst possible time, right in the middle of our launch.",
	"Pager going off nonstop because Acme Cloud is down. Terrible day.",
	"Acme Cloud outage again. Seriously considering moving to {comp}.",
	"No update from @acmecloud for 40 minutes while everything is broken. Unacceptable.",
	"Acme Cloud login failures are blocking our whole team. Horrible.",
	"Yep, Acme is down. 502 and 500 errors on the API. #acmedown",
	"Acme Cloud: the API is down and support chat is broken too. Pathetic.",
	"We pay for premium support and @acmecloud still hasn't answered. Angry.",
	"Can't deploy, can't log in, can't do anything. Acme Cloud outage is killing us.",
	"Acme Cloud is down and our customers are furious. This is a disaster.",
	"Every call to the Acme Cloud API fails with 500. Broken, broken, broken.",
	"@acmecloud login is broken for our entire org. Unacceptable for a paid plan.",
	"Acme Cloud down again, I hate this. #acmedown",
	"Terrible reliability from Acme Cloud lately. Now the login is down.",
}

var recoveryTexts = []string{
	"Acme Cloud looks back up for us. Thanks for the fix @acmecloud.",
	"Login working again on Acme Cloud. Phew, thanks team.",
	"API errors gone, Acme is back. Good recovery, thanks.",
	"Everything green again on Acme Cloud. Thanks for the quick fix.",
	"@acmecloud back up here, appreciate the updates.",
	"Acme Cloud is working again, great job on the recovery.",
	"Acme API is back to normal for us. Thanks for the fix.",
	"Can log in to Acme Cloud again. Thank you!",
}

var tailTexts = []string{
	"@acmecloud still waiting for an answer about the outage. Unacceptable.",
	"Still seeing login failures on Acme Cloud since the outage. Not fixed.",
	"Acme Cloud support has ignored my ticket about the outage for two days. Terrible.",
	"We lost orders during the Acme outage and nobody has replied. Moving to {comp}.",
	"Asked @acmecloud about SLA credits for the outage, no reply. Disappointed.",
	"Acme Cloud API still throwing 500 errors for some of our requests. Broken.",
	"After this week's Acme Cloud outage our team is planning to migrate away. Bad experience.",
	"@acmecloud where is the postmortem? Customers deserve better than this. Awful communication.",
	"My Acme Cloud account is still locked after the login outage. Frustrating.",
	"Day three and no reply from Acme Cloud support about the outage. Terrible.",
	"Acme Cloud outage cost us a full day of sales. Still angry, still no answer.",
}

var aftermathTexts = []string{
	"Acme Cloud published the postmortem for the outage: a config push to the auth service.",
	"Good postmortem from Acme Cloud, clear and honest. Thanks for the transparency.",
	"Acme Cloud says SLA credits for the outage will be applied automatically next month.",
	"Reading the Acme Cloud incident report, they are adding staged rollouts for auth changes.",
}

var minorTexts = []string{
	"Acme Cloud dashboard is really slow right now, anyone else?",
	"@acmecloud dashboard takes a minute to load, annoying.",
	"Acme dashboard timing out for me. Slow and frustrating.",
	"The Acme Cloud dashboard is crawling today. Bad timing.",
}

var payPositiveTexts = []string{
	"Acme Pay is finally generally available! Love the simple checkout API.",
	"Tried Acme Pay today, setup was great and fast.",
	"@acmepay integration took 20 minutes. Excellent docs.",
	"Acme Pay checkout looks clean and works great on mobile. Nice launch.",
	"Congrats to the Acme Pay team on the launch, really impressive.",
}

var payNeutralTexts = []string{
	"Does Acme Pay support SEPA direct debit?",
	"Acme Pay fees are 2.4% plus 20 cents, similar to {comp}.",
	"Is Acme Pay available in Canada yet?",
	"Reading the Acme Pay API reference, webhooks look like Stripe's.",
}

var payNegativeTexts = []string{
	"Acme Pay rejected our test cards with confusing errors. Frustrating.",
	"@acmepay payouts delayed again, not happy.",
}

// noiseTexts mention "acme" in ways the acme watch excludes.
var noiseTexts = []string{
	"Watching old cartoons, the ACME anvil never works for the coyote.",
	"Who else thinks the coyote should sue the Acme Corporation?",
}

var services = []string{"API", "dashboard", "login page", "CLI", "object storage", "managed Postgres", "load balancer"}

var features = []string{
	"ARM instances", "a Terraform provider for DNS", "per-second billing", "SSO for small teams",
	"IPv6 support", "scheduled backups", "a dark mode dashboard", "private networking",
}

var competitors = []string{"Globex Cloud", "Initech Hosting", "Umbrella Compute", "Hooli Cloud"}

var hashtags = []string{"#devops", "#cloud", "#webdev", "#sre", "#startup"}

var subreddits = []string{"devops", "sysadmin", "webdev", "selfhosted", "aws", "kubernetes"}

var blogPosts = []string{
	"announcing-managed-postgres-17", "arm-instances-ga", "how-we-run-our-api",
	"pricing-update", "new-dashboard", "acme-pay-launch",
}

var firstNames = []string{
	"Alex", "Sam", "Jordan", "Taylor", "Maya", "Priya", "Lena", "Omar", "Chen", "Yuki",
	"Diego", "Sofia", "Lucas", "Amara", "Noah", "Emma", "Liam", "Olivia", "Ethan", "Ava",
	"Mateo", "Zara", "Ivan", "Nina", "Ravi", "Aisha", "Tom", "Hana", "Felix", "Ingrid",
	"Kofi", "Marta", "Jonas", "Leila", "Pedro", "Clara", "Dmitri", "Sara", "Ben", "Mei",
	"Oscar", "Freya", "Tariq", "Elena", "Hugo", "Anya", "Kai", "Rosa", "Emil", "Nora",
	"Victor", "Iris", "Andre", "Lucia", "Theo", "Fatima", "Rory", "Greta", "Jin", "Paula",
}

var lastNames = []string{
	"Smith", "Garcia", "Chen", "Okafor", "Novak", "Silva", "Kumar", "Nakamura", "Muller", "Rossi",
	"Kowalski", "Haddad", "Jensen", "Ivanova", "Costa", "Park", "Nguyen", "Brown", "Dubois", "Larsen",
	"Moreno", "Sato", "Fischer", "Ali", "Walker", "Schmidt", "Petrov", "Lopez", "Kim", "Andersen",
	"Mensah", "Horvat", "Suzuki", "Oliveira", "Reyes", "Weber", "Nowak", "Patel", "Young", "Berg",
	"Vogel", "Raman", "Whitfield", "Morgan", "Ortiz", "Lind", "Hayes", "Quinn", "Bauer", "Tanaka",
}

var handleSuffixes = []string{"dev", "codes", "ops", "builds", "hq", "io", "writes", "tech"}
