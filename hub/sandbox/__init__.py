"""Sandbox partner servers: NLC, CRECC and TWMM catalogues served over loopback in their own protocols."""

SANDBOX_CLASSES = {
    "NLC": "hub.sandbox.nlc:NlcSandbox",
    "CRECC": "hub.sandbox.crecc:CreccSandbox",
    "TWMM": "hub.sandbox.twmm:TwmmSandbox",
}
"""Each partner's sandbox, in the order of their fixed ports (`hub.sandbox.runner.sandbox_port`)."""
