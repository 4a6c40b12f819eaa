package alerts

import (
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/slack"
)

type (
	slackConfig = slack.Config
	emailConfig = email.Config
)
