<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApprovalList</name>
    <message>
        <source>Rollback #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvals: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by %1 at %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rollback waits for approval</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search: user, action, target…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>No data in this period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GraphPage</name>
    <message>
        <source>Dependencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HealthBadge</name>
    <message>
        <source>healthy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incidents (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollbacks (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rollbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save report as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollbacks: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 (%3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preserved logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (%3 bytes%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a note: root cause, action items…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, requested by %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 at %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the report: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncidentReport</name>
    <message>
        <source>T: time since %1 %2 was deployed (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T: time since the incident was opened (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rule %1 (%2) for %3 at %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1 %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 from deploy to restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rolled back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report covers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 deployed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rollback #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>durations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ratios</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics around the incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server keeps no metric history, so there are no charts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: what the rules compare (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: measured %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No metric of these services was recorded in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What fired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rule fired: the rollbacks were requested by people or CI.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fired (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values when it fired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no values recorded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needed, %2 given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished, took</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compensating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preserved logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1, %2 bytes archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the source was longer and was cut when archived)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; its last %1 lines:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; all of it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People involved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took part as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rewind (Rewind itself)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rewind incident report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated %1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF reports need a graphical application (fonts); this process has none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no output device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open the output: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the output is not writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot add a page to the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot finish the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report data has no incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report data is not valid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report data is not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pipeline %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 deployed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident #%1 opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1 fired for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1 resolved for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 of %2 planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>class %1, trigger %2, requested by %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 rejected by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 approved by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 started: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>took %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>took %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident #%1 closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deployed a release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requested a rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved a rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected a rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrote a note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Rewind — %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rewind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dependencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending approvals: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch light or dark theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rewind %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricChart</name>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — now %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationsDrawer</name>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing new</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All environments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No service matches</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanView</name>
    <message>
        <source>Plan (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs %1 approval(s) before it runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 → %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(only if a step fails)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RollbackList</name>
    <message>
        <source>Rollback #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rollbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Abort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aborted from the dashboard</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RollbacksPage</name>
    <message>
        <source>Waiting for approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request a rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fast: these services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>immediate: with unverified neighbours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradual: traffic back in steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent rollbacks (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServiceCard</name>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployments frozen until %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request rollback…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · strategy %3 · current %4 · last good %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firing since %1: %2 (%3) — %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployments frozen until %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading metrics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No metrics recorded yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to a Rewind server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server, e.g. 127.0.0.1:8470 or https://rewind.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rwd_… token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::Commands</name>
    <message>
        <source>another command is still running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dry run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::DependencyGraph</name>
    <message>
        <source>planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>awaiting approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aborted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No services in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 · %2 · %3 of %4 services rolled back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::NotificationModel</name>
    <message>
        <source>Rollback #%1 awaits approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — requested by %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 approved rollback #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected rollback #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback #%1 was aborted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::PendingApprovalModel</name>
    <message>
        <source>It no longer waits for approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to decide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You requested this rollback; someone else must approve it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have already decided (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request has expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving in %1 needs an approver role there</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::ServiceListModel</name>
    <message>
        <source>%1: %2 of %3 samples failed (%4%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 of %3 samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying: %1 left; error budget %2%; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not verified yet: it has nothing to be judged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not verified yet: too few samples to judge (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not verified: over the %1% error budget (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not verified: rule %1 fired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rewind cannot probe %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::ServiceMetrics</name>
    <message>
        <source>rollback #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::client::Session</name>
    <message>
        <source>“%1” is not a server address (try host:port or https://host:port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secure connection to %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The session has expired; sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong user name, password or token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many failed sign-ins: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::dashboard::DashboardApp</name>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rewind dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::web::ChartView</name>
    <message>
        <source>Choose a service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading metrics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No metrics: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No metrics for this service yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::web::ChartsPage</name>
    <message>
        <source>1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request rollback…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::web::RequestForm</name>
    <message>
        <source>&lt;b&gt;Request a rollback&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fast: these services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>immediate: with unverified neighbours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradual: traffic back in steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Plan (%1)&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs %1 approval(s) before it runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 → %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(only if a step fails)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rwd::web::WebWindow</name>
    <message>
        <source>Rewind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to Rewind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with an API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Waiting for approval&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Rollbacks&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Incidents&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download PDF report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Rollback history&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a rollback to approve or reject it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
