"""The web application for the people of the SOPs: server-rendered pages with HTMX. Views parse
input, call one service, and render; the rules live in the engine and the domain."""
