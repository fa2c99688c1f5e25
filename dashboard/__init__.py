"""The officials' dashboard: figures (selectors), charts (pure functions), the page, the big screen and its JSON."""
