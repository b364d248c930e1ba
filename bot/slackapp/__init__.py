"""The Slack app surface: `/stancebot` and the review buttons, over Socket Mode or a verified HTTP endpoint."""
