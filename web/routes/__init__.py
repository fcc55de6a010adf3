"""One router per area of the web app; each gets what it shares through `web.context.Ctx`."""
