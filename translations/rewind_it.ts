<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT">
<context>
    <name>HealthBadge</name>
    <message>
        <source>healthy</source>
        <translation>in salute</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>degradato</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>in errore</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>nessun dato</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Rewind — %1</source>
        <translation>Rewind — %1</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>non connesso</translation>
    </message>
    <message>
        <source>Server, e.g. 127.0.0.1:8470</source>
        <translation>Server, ad es. 127.0.0.1:8470</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connetti</translation>
    </message>
    <message>
        <source>Services (%1)</source>
        <translation>Servizi (%1)</translation>
    </message>
    <message>
        <source>Rollbacks (%1)</source>
        <translation>Rollback (%1)</translation>
    </message>
</context>
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation>LTR</translation>
    </message>
</context>
<context>
    <name>RollbackList</name>
    <message>
        <source>Rollback #%1</source>
        <translation>Rollback n. %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Took %1 s</source>
        <translation>Durata %1 s</translation>
    </message>
    <message>
        <source>No rollbacks</source>
        <translation>Nessun rollback</translation>
    </message>
</context>
<context>
    <name>ServiceList</name>
    <message>
        <source>Current</source>
        <translation>Attuale</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>nessuna registrata</translation>
    </message>
    <message>
        <source>Last good</source>
        <translation>Ultima buona</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>nessuna finora</translation>
    </message>
    <message>
        <source>Firing: %1</source>
        <translation>Regole attive: %1</translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation>Ancora nessun servizio</translation>
    </message>
</context>
<context>
    <name>rwd::dashboard::DashboardApp</name>
    <message>
        <source>Disconnected</source>
        <translation>Disconnesso</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connessione…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connesso</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Riconnessione…</translation>
    </message>
</context>
</TS>
