package webhooks

// DialControl is the dialer's Control function, for tests.
var DialControl = dialControl
