<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT">
<context>
    <name>ApprovalList</name>
    <message>
        <source>Rollback #%1</source>
        <translation>Rollback n. %1</translation>
    </message>
    <message>
        <source>Approvals: %1 of %2</source>
        <translation>Approvazioni: %1 su %2</translation>
    </message>
    <message>
        <source>Requested by %1 at %2: %3</source>
        <translation>Richiesto da %1 alle %2: %3</translation>
    </message>
    <message>
        <source>Approved by %1</source>
        <translation>Approvato da %1</translation>
    </message>
    <message>
        <source>Expires at %1</source>
        <translation>Scade alle %1</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>Commento (facoltativo)</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approva</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Rifiuta</translation>
    </message>
    <message>
        <source>No rollback waits for approval</source>
        <translation>Nessun rollback in attesa di approvazione</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>Registro di audit</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>Voci: %1</translation>
    </message>
    <message>
        <source>Search: user, action, target…</source>
        <translation>Cerca: utente, azione, oggetto…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aggiorna</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Chi</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Azione</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Oggetto</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Dettagli</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Caricamento…</translation>
    </message>
    <message>
        <source>No entries</source>
        <translation>Nessuna voce</translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>No data in this period</source>
        <translation>Nessun dato in questo periodo</translation>
    </message>
</context>
<context>
    <name>GraphPage</name>
    <message>
        <source>Dependencies</source>
        <translation>Dipendenze</translation>
    </message>
    <message>
        <source>Selected: %1</source>
        <translation>Selezionato: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Apri</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Adatta</translation>
    </message>
</context>
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
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <translation>Cronologia</translation>
    </message>
    <message>
        <source>Incidents (%1)</source>
        <translation>Incidenti (%1)</translation>
    </message>
    <message>
        <source>Rollbacks (%1)</source>
        <translation>Rollback (%1)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Cerca</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aggiorna</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation>N. %1 %2</translation>
    </message>
    <message>
        <source>open</source>
        <translation>aperto</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>chiuso</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>No incidents</source>
        <translation>Nessun incidente</translation>
    </message>
    <message>
        <source>Rollback #%1</source>
        <translation>Rollback n. %1</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 s</source>
        <translation>%1 · %2 · %3 s</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No rollbacks</source>
        <translation>Nessun rollback</translation>
    </message>
    <message>
        <source>Incident #%1</source>
        <translation>Incidente n. %1</translation>
    </message>
    <message>
        <source>Opened %1, %2</source>
        <translation>Aperto il %1, %2</translation>
    </message>
    <message>
        <source>still open</source>
        <translation>ancora aperto</translation>
    </message>
    <message>
        <source>closed %1</source>
        <translation>chiuso il %1</translation>
    </message>
    <message>
        <source>Save report as PDF…</source>
        <translation>Salva il report come PDF…</translation>
    </message>
    <message>
        <source>Rollbacks: %1</source>
        <translation>Rollback: %1</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronologia eventi</translation>
    </message>
    <message>
        <source>%1 — %2 (%3): %4</source>
        <translation>%1 — %2 (%3): %4</translation>
    </message>
    <message>
        <source>Preserved logs</source>
        <translation>Log conservati</translation>
    </message>
    <message>
        <source>%1: %2 (%3 bytes%4)</source>
        <translation>%1: %2 (%3 byte%4)</translation>
    </message>
    <message>
        <source>, truncated</source>
        <translation>, troncato</translation>
    </message>
    <message>
        <source>Add a note: root cause, action items…</source>
        <translation>Aggiungi una nota: causa principale, azioni da intraprendere…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Aggiungi nota</translation>
    </message>
    <message>
        <source>%1, requested by %2: %3</source>
        <translation>%1, richiesto da %2: %3</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Approvazioni</translation>
    </message>
    <message>
        <source>%1 %2 at %3 %4</source>
        <translation>%1 %2 alle %3 %4</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passi</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>File PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Salvato: %1</translation>
    </message>
    <message>
        <source>Could not save the report: %1</source>
        <translation>Impossibile salvare il report: %1</translation>
    </message>
</context>
<context>
    <name>IncidentReport</name>
    <message>
        <source>T: time since %1 %2 was deployed (%3).</source>
        <translation>T: tempo trascorso dal rilascio di %1 %2 (%3).</translation>
    </message>
    <message>
        <source>T: time since the incident was opened (%1).</source>
        <translation>T: tempo trascorso dall&apos;apertura dell&apos;incidente (%1).</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servizi</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravità</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stato</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Aperto</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Chiuso</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Aperto il</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>non ancora</translation>
    </message>
    <message>
        <source>Open for</source>
        <translation>Rimasto aperto per</translation>
    </message>
    <message>
        <source>rule %1 (%2) for %3 at %4</source>
        <translation>regola %1 (%2) per %3 alle %4</translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation>Rilevato da</translation>
    </message>
    <message>
        <source>#%1 %2, %3</source>
        <translation>N. %1 %2, %3</translation>
    </message>
    <message>
        <source>%1: %2 from deploy to restored</source>
        <translation>%1: %2 dal rilascio al ripristino</translation>
    </message>
    <message>
        <source>Rolled back</source>
        <translation>Versioni ripristinate</translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation>Rollback</translation>
    </message>
    <message>
        <source>Time to restore</source>
        <translation>Tempo di ripristino</translation>
    </message>
    <message>
        <source>Report covers</source>
        <translation>Periodo del report</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>da %1 a %2</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronologia eventi</translation>
    </message>
    <message>
        <source>Nothing was recorded.</source>
        <translation>Non è stato registrato nulla.</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Ora (UTC)</translation>
    </message>
    <message>
        <source>T</source>
        <translation>T</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Dettagli</translation>
    </message>
    <message>
        <source>%1 deployed</source>
        <translation>%1 rilasciata</translation>
    </message>
    <message>
        <source>rollback #%1</source>
        <translation>rollback n. %1</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation>N. %1 %2</translation>
    </message>
    <message>
        <source>durations</source>
        <translation>durate</translation>
    </message>
    <message>
        <source>ratios</source>
        <translation>rapporti</translation>
    </message>
    <message>
        <source>rates</source>
        <translation>frequenze</translation>
    </message>
    <message>
        <source>values</source>
        <translation>valori</translation>
    </message>
    <message>
        <source>Metrics around the incident</source>
        <translation>Metriche attorno all&apos;incidente</translation>
    </message>
    <message>
        <source>This server keeps no metric history, so there are no charts.</source>
        <translation>Questo server non conserva lo storico delle metriche, quindi non ci sono grafici.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: what the rules compare (%2)</source>
        <translation>%1: ciò che confrontano le regole (%2)</translation>
    </message>
    <message>
        <source>%1: measured %2</source>
        <translation>%1: misurazioni (%2)</translation>
    </message>
    <message>
        <source>No metric of these services was recorded in this period.</source>
        <translation>Nessuna metrica di questi servizi è stata registrata in questo periodo.</translation>
    </message>
    <message>
        <source>What fired</source>
        <translation>Regole scattate</translation>
    </message>
    <message>
        <source>No rule fired: the rollbacks were requested by people or CI.</source>
        <translation>Nessuna regola è scattata: i rollback sono stati richiesti da persone o dalla CI.</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regola</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servizio</translation>
    </message>
    <message>
        <source>Fired (UTC)</source>
        <translation>Scattata (UTC)</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Risolta</translation>
    </message>
    <message>
        <source>Values when it fired</source>
        <translation>Valori allo scatto</translation>
    </message>
    <message>
        <source>(no values recorded)</source>
        <translation>(nessun valore registrato)</translation>
    </message>
    <message>
        <source>when: %1</source>
        <translation>quando: %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>still firing</source>
        <translation>ancora attiva</translation>
    </message>
    <message>
        <source>Rollback #%1: %2</source>
        <translation>Rollback n. %1: %2</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Origine</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Richiesto da</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Pianificato il</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminato il</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>Durata</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Esito</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Approvazioni</translation>
    </message>
    <message>
        <source>%1 needed, %2 given</source>
        <translation>%1 richieste, %2 concesse</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>non richieste</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Destinazioni</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Da</translation>
    </message>
    <message>
        <source>To</source>
        <translation>A</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategia</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Dopo</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passi</translation>
    </message>
    <message>
        <source>#</source>
        <translation>N.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Passo</translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation>Avviato (UTC)</translation>
    </message>
    <message>
        <source>Finished, took</source>
        <translation>Terminato, durata</translation>
    </message>
    <message>
        <source>%1 attempts</source>
        <translation>%1 tentativi</translation>
    </message>
    <message>
        <source>compensating</source>
        <translation>di compensazione</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decisione</translation>
    </message>
    <message>
        <source>At (UTC)</source>
        <translation>Ora (UTC)</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commento</translation>
    </message>
    <message>
        <source>Preserved logs</source>
        <translation>Log conservati</translation>
    </message>
    <message>
        <source>Rollback #%1, %2 bytes archived</source>
        <translation>Rollback n. %1, %2 byte archiviati</translation>
    </message>
    <message>
        <source> (the source was longer and was cut when archived)</source>
        <translation> (la sorgente era più lunga ed è stata troncata durante l&apos;archiviazione)</translation>
    </message>
    <message>
        <source>; its last %1 lines:</source>
        <translation>; le ultime %1 righe:</translation>
    </message>
    <message>
        <source>; all of it:</source>
        <translation>; per intero:</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vuoto)</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation>Nessuna nota.</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2 (%3)</translation>
    </message>
    <message>
        <source>People involved</source>
        <translation>Persone coinvolte</translation>
    </message>
    <message>
        <source>Nobody is recorded.</source>
        <translation>Nessuna persona registrata.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Took part as</source>
        <translation>Coinvolgimento</translation>
    </message>
    <message>
        <source>rewind (Rewind itself)</source>
        <translation>rewind (Rewind stesso)</translation>
    </message>
    <message>
        <source>Incident #%1: %2</source>
        <translation>Incidente n. %1: %2</translation>
    </message>
    <message>
        <source>Rewind incident report</source>
        <translation>Report dell&apos;incidente di Rewind</translation>
    </message>
    <message>
        <source>Generated %1 by %2</source>
        <translation>Generato il %1 da %2</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Pagina %1 di %2</translation>
    </message>
    <message>
        <source>PDF reports need a graphical application (fonts); this process has none</source>
        <translation>I report PDF richiedono un&apos;applicazione grafica (per i font); questo processo non lo è</translation>
    </message>
    <message>
        <source>no output device</source>
        <translation>nessun dispositivo di output</translation>
    </message>
    <message>
        <source>cannot open the output: %1</source>
        <translation>impossibile aprire l&apos;output: %1</translation>
    </message>
    <message>
        <source>the output is not writable</source>
        <translation>l&apos;output non è scrivibile</translation>
    </message>
    <message>
        <source>Incident report</source>
        <translation>Report dell&apos;incidente</translation>
    </message>
    <message>
        <source>cannot start the PDF</source>
        <translation>impossibile avviare il PDF</translation>
    </message>
    <message>
        <source>cannot add a page to the PDF</source>
        <translation>impossibile aggiungere una pagina al PDF</translation>
    </message>
    <message>
        <source>cannot finish the PDF</source>
        <translation>impossibile completare il PDF</translation>
    </message>
    <message>
        <source>the report data has no incident</source>
        <translation>i dati del report non contengono alcun incidente</translation>
    </message>
    <message>
        <source>the report data is not valid JSON: %1</source>
        <translation>i dati del report non sono JSON valido: %1</translation>
    </message>
    <message>
        <source>the report data is not a JSON object</source>
        <translation>i dati del report non sono un oggetto JSON</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>su %1</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>da %1</translation>
    </message>
    <message>
        <source>pipeline %1</source>
        <translation>pipeline %1</translation>
    </message>
    <message>
        <source>%1 %2 deployed</source>
        <translation>%1 %2 rilasciato</translation>
    </message>
    <message>
        <source>%1 %2 verified</source>
        <translation>%1 %2 verificato</translation>
    </message>
    <message>
        <source>Incident #%1 opened</source>
        <translation>Incidente n. %1 aperto</translation>
    </message>
    <message>
        <source>Rule %1 fired for %2</source>
        <translation>Regola %1 scattata per %2</translation>
    </message>
    <message>
        <source>Rule %1 resolved for %2</source>
        <translation>Regola %1 risolta per %2</translation>
    </message>
    <message>
        <source>Rollback #%1 of %2 planned</source>
        <translation>Rollback n. %1 di %2 pianificato</translation>
    </message>
    <message>
        <source>class %1, trigger %2, requested by %3</source>
        <translation>classe %1, origine %2, richiesto da %3</translation>
    </message>
    <message>
        <source>Rollback #%1 rejected by %2</source>
        <translation>Rollback n. %1 rifiutato da %2</translation>
    </message>
    <message>
        <source>Rollback #%1 approved by %2</source>
        <translation>Rollback n. %1 approvato da %2</translation>
    </message>
    <message>
        <source>Step %1 started: %2</source>
        <translation>Passo %1 avviato: %2</translation>
    </message>
    <message>
        <source>Step %1 %2: %3</source>
        <translation>Passo %1 %2: %3</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>durata %1</translation>
    </message>
    <message>
        <source>took %1: %2</source>
        <translation>durata %1: %2</translation>
    </message>
    <message>
        <source>Rollback #%1 %2</source>
        <translation>Rollback n. %1 %2</translation>
    </message>
    <message>
        <source>Note by %1</source>
        <translation>Nota di %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Incident #%1 closed</source>
        <translation>Incidente n. %1 chiuso</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>nessun dato</translation>
    </message>
    <message>
        <source>true</source>
        <translation>vero</translation>
    </message>
    <message>
        <source>false</source>
        <translation>falso</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>deployed a release</source>
        <translation>ha rilasciato una versione</translation>
    </message>
    <message>
        <source>requested a rollback</source>
        <translation>ha richiesto un rollback</translation>
    </message>
    <message>
        <source>approved a rollback</source>
        <translation>ha approvato un rollback</translation>
    </message>
    <message>
        <source>rejected a rollback</source>
        <translation>ha rifiutato un rollback</translation>
    </message>
    <message>
        <source>wrote a note</source>
        <translation>ha scritto una nota</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>System language</source>
        <translation>Lingua di sistema</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Rewind — %1 on %2</source>
        <translation>Rewind — %1 su %2</translation>
    </message>
    <message>
        <source>Rewind</source>
        <translation>Rewind</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Panoramica</translation>
    </message>
    <message>
        <source>Dependencies</source>
        <translation>Dipendenze</translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation>Rollback</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Cronologia</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Registro di audit</translation>
    </message>
    <message>
        <source>Pending approvals: %1</source>
        <translation>Approvazioni in sospeso: %1</translation>
    </message>
    <message>
        <source>Notifications (%1)</source>
        <translation>Notifiche (%1)</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifiche</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Chiaro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Scuro</translation>
    </message>
    <message>
        <source>Switch light or dark theme</source>
        <translation>Passa al tema chiaro o scuro</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Lingua</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Esci</translation>
    </message>
    <message>
        <source>Rewind %1</source>
        <translation>Rewind %1</translation>
    </message>
</context>
<context>
    <name>MetricChart</name>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>/s</translation>
    </message>
    <message>
        <source>%1 — now %2</source>
        <translation>%1 — ora %2</translation>
    </message>
</context>
<context>
    <name>NotificationsDrawer</name>
    <message>
        <source>Notifications</source>
        <translation>Notifiche</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Cancella</translation>
    </message>
    <message>
        <source>Nothing new</source>
        <translation>Nessuna novità</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>Panoramica</translation>
    </message>
    <message>
        <source>All environments</source>
        <translation>Tutti gli ambienti</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Ambiente</translation>
    </message>
    <message>
        <source>Search services</source>
        <translation>Cerca servizi</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servizi</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>In salute</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Degradati</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>In errore</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Nessun dato</translation>
    </message>
    <message>
        <source>Rules firing</source>
        <translation>Regole attive</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Congelati</translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation>Ancora nessun servizio</translation>
    </message>
    <message>
        <source>No service matches</source>
        <translation>Nessun servizio corrispondente</translation>
    </message>
</context>
<context>
    <name>PlanView</name>
    <message>
        <source>Plan (%1)</source>
        <translation>Piano (%1)</translation>
    </message>
    <message>
        <source>Needs %1 approval(s) before it runs</source>
        <translation>Approvazioni necessarie prima dell&apos;esecuzione: %1</translation>
    </message>
    <message>
        <source>%1: %2 → %3 (%4)</source>
        <translation>%1: %2 → %3 (%4)</translation>
    </message>
    <message>
        <source>(only if a step fails)</source>
        <translation>(solo se un passo fallisce)</translation>
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
    <message>
        <source>Abort</source>
        <translation>Interrompi</translation>
    </message>
    <message>
        <source>aborted from the dashboard</source>
        <translation>interrotto dalla dashboard</translation>
    </message>
</context>
<context>
    <name>RollbacksPage</name>
    <message>
        <source>Waiting for approval</source>
        <translation>In attesa di approvazione</translation>
    </message>
    <message>
        <source>Request a rollback</source>
        <translation>Richiedi un rollback</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>fast: these services</source>
        <translation>fast: solo questi servizi</translation>
    </message>
    <message>
        <source>immediate: with unverified neighbours</source>
        <translation>immediate: con i servizi vicini non verificati</translation>
    </message>
    <message>
        <source>gradual: traffic back in steps</source>
        <translation>gradual: traffico riportato per gradi</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Motivo (obbligatorio)</translation>
    </message>
    <message>
        <source>Show plan</source>
        <translation>Mostra piano</translation>
    </message>
    <message>
        <source>Request rollback</source>
        <translation>Richiedi rollback</translation>
    </message>
    <message>
        <source>Recent rollbacks (%1)</source>
        <translation>Rollback recenti (%1)</translation>
    </message>
</context>
<context>
    <name>ServiceCard</name>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
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
        <source>Deployments frozen until %1</source>
        <translation>Rilasci congelati fino alle %1</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Back</source>
        <translation>Indietro</translation>
    </message>
    <message>
        <source>1 min</source>
        <translation>1 min</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 min</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15 min</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>6 h</source>
        <translation>6 h</translation>
    </message>
    <message>
        <source>Request rollback…</source>
        <translation>Richiedi rollback…</translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation>Richiede il ruolo operator in %1</translation>
    </message>
    <message>
        <source>%1 · %2 · strategy %3 · current %4 · last good %5</source>
        <translation>%1 · %2 · strategia %3 · attuale %4 · ultima buona %5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nessuna</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>nessuna registrata</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>nessuna finora</translation>
    </message>
    <message>
        <source>Firing since %1: %2 (%3) — %4</source>
        <translation>Attiva dalle %1: %2 (%3) — %4</translation>
    </message>
    <message>
        <source>Deployments frozen until %1: %2</source>
        <translation>Rilasci congelati fino al %1: %2</translation>
    </message>
    <message>
        <source>Loading metrics…</source>
        <translation>Caricamento delle metriche…</translation>
    </message>
    <message>
        <source>No metrics recorded yet</source>
        <translation>Nessuna metrica ancora registrata</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to a Rewind server</source>
        <translation>Accedi a un server Rewind</translation>
    </message>
    <message>
        <source>Server, e.g. 127.0.0.1:8470 or https://rewind.example.com</source>
        <translation>Server, ad es. 127.0.0.1:8470 o https://rewind.example.com</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>Token API</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nome utente</translation>
    </message>
    <message>
        <source>rwd_… token</source>
        <translation>Token rwd_…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Accesso in corso…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Accedi</translation>
    </message>
</context>
<context>
    <name>rwd::client::Commands</name>
    <message>
        <source>another command is still running</source>
        <translation>un altro comando è ancora in esecuzione</translation>
    </message>
    <message>
        <source>dry run</source>
        <translation>simulazione</translation>
    </message>
</context>
<context>
    <name>rwd::client::DependencyGraph</name>
    <message>
        <source>planned</source>
        <translation>pianificato</translation>
    </message>
    <message>
        <source>awaiting approval</source>
        <translation>in attesa di approvazione</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>approvato</translation>
    </message>
    <message>
        <source>running</source>
        <translation>in esecuzione</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>in verifica</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>riuscito</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>non riuscito</translation>
    </message>
    <message>
        <source>aborted</source>
        <translation>interrotto</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>richiede attenzione</translation>
    </message>
    <message>
        <source>no release</source>
        <translation>nessuna versione</translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation>Ancora nessun servizio</translation>
    </message>
    <message>
        <source>No services in %1</source>
        <translation>Nessun servizio in %1</translation>
    </message>
    <message>
        <source>Rollback #%1 · %2 · %3 of %4 services rolled back</source>
        <translation>Rollback n. %1 · %2 · %3 servizi su %4 ripristinati</translation>
    </message>
</context>
<context>
    <name>rwd::client::NotificationModel</name>
    <message>
        <source>Rollback #%1 awaits approval</source>
        <translation>Il rollback n. %1 attende l&apos;approvazione</translation>
    </message>
    <message>
        <source>%1 — requested by %2: %3</source>
        <translation>%1 — richiesto da %2: %3</translation>
    </message>
    <message>
        <source>%1 approved rollback #%2</source>
        <translation>%1 ha approvato il rollback n. %2</translation>
    </message>
    <message>
        <source>%1 rejected rollback #%2</source>
        <translation>%1 ha rifiutato il rollback n. %2</translation>
    </message>
    <message>
        <source>Rollback #%1 succeeded</source>
        <translation>Rollback n. %1 riuscito</translation>
    </message>
    <message>
        <source>Rollback #%1 failed</source>
        <translation>Rollback n. %1 non riuscito</translation>
    </message>
    <message>
        <source>Rollback #%1 needs attention</source>
        <translation>Il rollback n. %1 richiede attenzione</translation>
    </message>
    <message>
        <source>Rollback #%1 was aborted</source>
        <translation>Il rollback n. %1 è stato interrotto</translation>
    </message>
</context>
<context>
    <name>rwd::client::PendingApprovalModel</name>
    <message>
        <source>It no longer waits for approval</source>
        <translation>Non è più in attesa di approvazione</translation>
    </message>
    <message>
        <source>Sign in to decide</source>
        <translation>Accedi per decidere</translation>
    </message>
    <message>
        <source>You requested this rollback; someone else must approve it</source>
        <translation>Hai richiesto tu questo rollback; deve approvarlo un&apos;altra persona</translation>
    </message>
    <message>
        <source>You have already decided (%1)</source>
        <translation>Hai già deciso (%1)</translation>
    </message>
    <message>
        <source>The request has expired</source>
        <translation>La richiesta è scaduta</translation>
    </message>
    <message>
        <source>Approving in %1 needs an approver role there</source>
        <translation>Per approvare in %1 serve il ruolo approver in quell&apos;ambiente</translation>
    </message>
</context>
<context>
    <name>rwd::client::ServiceListModel</name>
    <message>
        <source>%1: %2 of %3 samples failed (%4%)</source>
        <translation>%1: %2 campioni falliti su %3 (%4%)</translation>
    </message>
    <message>
        <source>%1: %2 of %3 samples</source>
        <translation>%1: %2 campioni su %3</translation>
    </message>
    <message>
        <source>Verifying: %1 left; error budget %2%; %3</source>
        <translation>Verifica in corso: mancano %1; budget di errori %2%; %3</translation>
    </message>
    <message>
        <source>Not verified yet: it has nothing to be judged by</source>
        <translation>Non ancora verificata: non c&apos;è nulla su cui giudicarla</translation>
    </message>
    <message>
        <source>Not verified yet: too few samples to judge (%1)</source>
        <translation>Non ancora verificata: troppo pochi campioni per giudicare (%1)</translation>
    </message>
    <message>
        <source>Not verified: over the %1% error budget (%2)</source>
        <translation>Non verificata: oltre il budget di errori del %1% (%2)</translation>
    </message>
    <message>
        <source>Not verified: rule %1 fired</source>
        <translation>Non verificata: è scattata la regola %1</translation>
    </message>
    <message>
        <source>Rewind cannot probe %1: %2</source>
        <translation>Rewind non riesce a sondare %1: %2</translation>
    </message>
</context>
<context>
    <name>rwd::client::ServiceMetrics</name>
    <message>
        <source>rollback #%1</source>
        <translation>rollback n. %1</translation>
    </message>
</context>
<context>
    <name>rwd::client::Session</name>
    <message>
        <source>“%1” is not a server address (try host:port or https://host:port)</source>
        <translation>«%1» non è un indirizzo di server (prova host:porta o https://host:porta)</translation>
    </message>
    <message>
        <source>Secure connection to %1 failed: %2</source>
        <translation>Connessione sicura a %1 non riuscita: %2</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>Impossibile raggiungere %1: %2</translation>
    </message>
    <message>
        <source>The session has expired; sign in again</source>
        <translation>La sessione è scaduta; accedi di nuovo</translation>
    </message>
    <message>
        <source>Wrong user name, password or token</source>
        <translation>Nome utente, password o token errati</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: %1</source>
        <translation>Troppi accessi non riusciti: %1</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>Il server ha rifiutato la richiesta: %1</translation>
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
    <message>
        <source>Rewind dashboard</source>
        <translation>Dashboard di Rewind</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Accesso in corso…</translation>
    </message>
</context>
<context>
    <name>rwd::web::ChartView</name>
    <message>
        <source>Choose a service.</source>
        <translation>Scegli un servizio.</translation>
    </message>
    <message>
        <source>Loading metrics…</source>
        <translation>Caricamento delle metriche…</translation>
    </message>
    <message>
        <source>No metrics: %1</source>
        <translation>Nessuna metrica: %1</translation>
    </message>
    <message>
        <source>No metrics for this service yet.</source>
        <translation>Ancora nessuna metrica per questo servizio.</translation>
    </message>
</context>
<context>
    <name>rwd::web::ChartsPage</name>
    <message>
        <source>1 min</source>
        <translation>1 min</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 min</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15 min</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>6 h</source>
        <translation>6 h</translation>
    </message>
    <message>
        <source>Request rollback…</source>
        <translation>Richiedi rollback…</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servizio</translation>
    </message>
    <message>
        <source>%1 in %2 · %3</source>
        <translation>%1 in %2 · %3</translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation>Richiede il ruolo operator in %1</translation>
    </message>
</context>
<context>
    <name>rwd::web::RequestForm</name>
    <message>
        <source>&lt;b&gt;Request a rollback&lt;/b&gt;</source>
        <translation>&lt;b&gt;Richiedi un rollback&lt;/b&gt;</translation>
    </message>
    <message>
        <source>fast: these services</source>
        <translation>fast: solo questi servizi</translation>
    </message>
    <message>
        <source>immediate: with unverified neighbours</source>
        <translation>immediate: con i servizi vicini non verificati</translation>
    </message>
    <message>
        <source>gradual: traffic back in steps</source>
        <translation>gradual: traffico riportato per gradi</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Motivo (obbligatorio)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Show plan</source>
        <translation>Mostra piano</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Richiedi</translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation>Richiede il ruolo operator in %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Plan (%1)&lt;/b&gt;</source>
        <translation>&lt;b&gt;Piano (%1)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Needs %1 approval(s) before it runs</source>
        <translation>Approvazioni necessarie prima dell&apos;esecuzione: %1</translation>
    </message>
    <message>
        <source>%1: %2 → %3 (%4)</source>
        <translation>%1: %2 → %3 (%4)</translation>
    </message>
    <message>
        <source>(only if a step fails)</source>
        <translation>(solo se un passo fallisce)</translation>
    </message>
</context>
<context>
    <name>rwd::web::WebWindow</name>
    <message>
        <source>Rewind</source>
        <translation>Rewind</translation>
    </message>
    <message>
        <source>Sign in to Rewind</source>
        <translation>Accedi a Rewind</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Sign in with an API token</source>
        <translation>Accedi con un token API</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>Token API</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utente</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Accedi</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Scuro</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Esci</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servizio</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Ambiente</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Salute</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versione</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stato</translation>
    </message>
    <message>
        <source>Last good</source>
        <translation>Ultima buona</translation>
    </message>
    <message>
        <source>Firing</source>
        <translation>Regole attive</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Congelati</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Panoramica</translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation>Rollback</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Grafo</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Cronologia</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Ora</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Autore</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Azione</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Oggetto</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Dettagli</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>&lt;b&gt;Waiting for approval&lt;/b&gt;</source>
        <translation>&lt;b&gt;In attesa di approvazione&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Rollback</source>
        <translation>Rollback</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Servizi</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Richiesto da</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Approvazioni</translation>
    </message>
    <message>
        <source>Needed</source>
        <translation>Necessarie</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>Commento (facoltativo)</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approva</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Rifiuta</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rollbacks&lt;/b&gt;</source>
        <translation>&lt;b&gt;Rollback&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Steps done</source>
        <translation>Passi completati</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passi</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>Passo corrente</translation>
    </message>
    <message>
        <source>&lt;b&gt;Incidents&lt;/b&gt;</source>
        <translation>&lt;b&gt;Incidenti&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Incidente</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titolo</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravità</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Aperto il</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Chiuso</translation>
    </message>
    <message>
        <source>Download PDF report</source>
        <translation>Scarica il report PDF</translation>
    </message>
    <message>
        <source>Report failed: %1</source>
        <translation>Report non riuscito: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rollback history&lt;/b&gt;</source>
        <translation>&lt;b&gt;Storico dei rollback&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Origine</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Iniziato il</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminato il</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Select a rollback to approve or reject it.</source>
        <translation>Seleziona un rollback per approvarlo o rifiutarlo.</translation>
    </message>
    <message>
        <source>Notifications (%1)</source>
        <translation>Notifiche (%1)</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifiche</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Verifica</translation>
    </message>
</context>
</TS>
