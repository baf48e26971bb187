<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>spark-1</source>
        <translation>spark-1</translation>
    </message>
    <message>
        <source>A unique name; the API accepts it wherever it takes a connection id.</source>
        <translation>Ein eindeutiger Name; die API akzeptiert ihn überall, wo sie eine Verbindungs-ID erwartet.</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>203.0.113.10 or host.example</source>
        <translation>203.0.113.10 oder host.example</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>ubuntu</source>
        <translation>ubuntu</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>Anmelde&amp;verfahren:</translation>
    </message>
    <message>
        <source>SSH &amp;key file:</source>
        <translation>SSH-&amp;Schlüsseldatei:</translation>
    </message>
    <message>
        <source>~/.ssh/id_ed25519</source>
        <translation>~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in GPU Deck&apos;s database or logs.</source>
        <translation>Wird im Schlüsselbund des Systems gespeichert, nie in der Datenbank oder den Logs von GPU Deck.</translation>
    </message>
    <message>
        <source>&amp;MAC address:</source>
        <translation>&amp;MAC-Adresse:</translation>
    </message>
    <message>
        <source>Optional, for Wake-on-LAN: 00:11:22:33:44:55</source>
        <translation>Optional, für Wake-on-LAN: 00:11:22:33:44:55</translation>
    </message>
    <message>
        <source>Wake-on-LAN &amp;to:</source>
        <translation>Wake-on-LAN-&amp;Ziel:</translation>
    </message>
    <message>
        <source>Default: the broadcasts of the host&apos;s network</source>
        <translation>Standard: Broadcasts des Host-Netzes</translation>
    </message>
    <message>
        <source>An IPv4 address for the magic packet, e.g. 192.0.2.255. Empty: the limited broadcast and the directed broadcast of each local network that reaches the host.</source>
        <translation>Eine IPv4-Adresse für das Magic Packet, z. B. 192.0.2.255. Leer: der begrenzte Broadcast und der gerichtete Broadcast jedes lokalen Netzes, über das der Host erreichbar ist.</translation>
    </message>
    <message>
        <source>UDP p&amp;ort:</source>
        <translation>&amp;UDP-Port:</translation>
    </message>
    <message>
        <source>Secure&amp;On password:</source>
        <translation>Secure&amp;On-Passwort:</translation>
    </message>
    <message>
        <source>Only for a network card set to require one: 6 bytes written like a MAC address. Kept in the system keychain.</source>
        <translation>Nur für eine Netzwerkkarte, die eines verlangt: 6 Byte, geschrieben wie eine MAC-Adresse. Wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>Proxmox API &amp;token:</source>
        <translation>Proxmox-API-To&amp;ken:</translation>
    </message>
    <message>
        <source>Optional: root@pam!gpudeck (without one, pvesh over SSH)</source>
        <translation>Optional: root@pam!gpudeck (ohne Token: pvesh über SSH)</translation>
    </message>
    <message>
        <source>A Proxmox VE API token id, USER@REALM!TOKENID. Its secret is kept in the system keychain.</source>
        <translation>Die ID eines Proxmox-VE-API-Tokens, USER@REALM!TOKENID. Sein Geheimnis wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>Token s&amp;ecret:</source>
        <translation>Token-&amp;Geheimnis:</translation>
    </message>
    <message>
        <source>The API token&apos;s secret. Kept in the system keychain, never in GPU Deck&apos;s database or logs.</source>
        <translation>Das Geheimnis des API-Tokens. Wird im Schlüsselbund des Systems gespeichert, nie in der Datenbank oder den Logs von GPU Deck.</translation>
    </message>
    <message>
        <source>Proxmox API po&amp;rt:</source>
        <translation>Proxmox-API-Po&amp;rt:</translation>
    </message>
    <message>
        <source>&amp;Watch: connect at start and keep connected</source>
        <translation>B&amp;eobachten: beim Start verbinden und verbunden halten</translation>
    </message>
    <message>
        <source>GPU Deck connects a watched host when it starts, reconnects it when it drops, and probes it cheaply while it is down. Only a watched host that was up and went down raises an unreachable alert.</source>
        <translation>GPU Deck verbindet einen beobachteten Host beim Start, verbindet ihn neu, wenn die Verbindung abbricht, und prüft ihn sparsam, solange er ausgefallen ist. Nur ein beobachteter Host, der erreichbar war und ausfällt, löst einen Alarm „nicht erreichbar“ aus.</translation>
    </message>
</context>
<context>
    <name>ConsoleDialog</name>
    <message>
        <source>Run command</source>
        <translation>Befehl ausführen</translation>
    </message>
    <message>
        <source>&amp;Command:</source>
        <translation>&amp;Befehl:</translation>
    </message>
    <message>
        <source>nvidia-smi</source>
        <translation>nvidia-smi</translation>
    </message>
    <message>
        <source>Runs with /bin/sh on the host. Up and Down recall earlier commands.</source>
        <translation>Läuft mit /bin/sh auf dem Host. Pfeil hoch und runter holen frühere Befehle zurück.</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>The command is killed when it runs longer than this.</source>
        <translation>Der Befehl wird beendet, wenn er länger läuft.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <source>Stop waiting for the result. The command itself keeps running on the host until it ends or its timeout kills it.</source>
        <translation>Nicht mehr auf das Ergebnis warten. Der Befehl selbst läuft auf dem Host weiter, bis er endet oder sein Zeitlimit ihn beendet.</translation>
    </message>
    <message>
        <source>Output appears here: standard output as it is, standard error in red.</source>
        <translation>Hier erscheint die Ausgabe: Standardausgabe unverändert, Standardfehler in Rot.</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
</context>
<context>
    <name>FormErrors</name>
    <message>
        <source>Not available right now: %1</source>
        <translation>Gerade nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Etwas ist schiefgegangen: %1</translation>
    </message>
</context>
<context>
    <name>HostKeyDialog</name>
    <message>
        <source>Host key</source>
        <translation>Host-Schlüssel</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>&amp;Fingerprint:</source>
        <translation>&amp;Fingerabdruck:</translation>
    </message>
    <message>
        <source>Run this on the host itself; it prints the fingerprint of each of its host keys.</source>
        <translation>Führen Sie dies auf dem Host selbst aus; es gibt den Fingerabdruck jedes seiner Host-Schlüssel aus.</translation>
    </message>
</context>
<context>
    <name>JobDialog</name>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>lora-run-1</source>
        <translation>lora-run-1</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <source>meta-llama/Llama-3.1-8B</source>
        <translation>meta-llama/Llama-3.1-8B</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>&amp;Command:</source>
        <translation>&amp;Befehl:</translation>
    </message>
    <message>
        <source>python train.py --epochs 3</source>
        <translation>python train.py --epochs 3</translation>
    </message>
    <message>
        <source>&amp;Working directory:</source>
        <translation>Arbeits&amp;verzeichnis:</translation>
    </message>
    <message>
        <source>The project&apos;s remote path</source>
        <translation>Der Pfad des Projekts auf dem Host</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Umgebung:</translation>
    </message>
    <message>
        <source>One KEY=VALUE per line</source>
        <translation>Eine Zeile KEY=VALUE je Variable</translation>
    </message>
    <message>
        <source>When it &amp;ends:</source>
        <translation>Wenn er &amp;endet:</translation>
    </message>
    <message>
        <source>S&amp;ync the project&apos;s files to the host before each start</source>
        <translation>Projektdateien vor jedem Start zum Host s&amp;ynchronisieren</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Generic SSH host</source>
        <translation>Allgemeiner SSH-Host</translation>
    </message>
    <message>
        <source>DGX Spark</source>
        <translation>DGX Spark</translation>
    </message>
    <message>
        <source>Proxmox node</source>
        <translation>Proxmox-Knoten</translation>
    </message>
    <message>
        <source>RunPod pod</source>
        <translation>RunPod-Pod</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <source>SSH key file</source>
        <translation>SSH-Schlüsseldatei</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>SSH agent</source>
        <translation>SSH-Agent</translation>
    </message>
    <message>
        <source>Computer vision</source>
        <translation>Computer Vision</translation>
    </message>
    <message>
        <source>NLP</source>
        <translation>NLP</translation>
    </message>
    <message>
        <source>Reinforcement learning</source>
        <translation>Reinforcement Learning</translation>
    </message>
    <message>
        <source>Generative</source>
        <translation>Generativ</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archiviert</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Reconnecting (attempt %1)</source>
        <translation>Verbinde neu (Versuch %1)</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbinde neu…</translation>
    </message>
    <message>
        <source>Leave the pod running</source>
        <translation>Pod weiterlaufen lassen</translation>
    </message>
    <message>
        <source>Stop the pod</source>
        <translation>Pod stoppen</translation>
    </message>
    <message>
        <source>Terminate the pod (deletes its disk)</source>
        <translation>Pod beenden (löscht seinen Datenträger)</translation>
    </message>
    <message>
        <source>Down, probing</source>
        <translation>Ausgefallen, wird geprüft</translation>
    </message>
</context>
<context>
    <name>MetricText</name>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 °C</source>
        <translation>%1 °C</translation>
    </message>
    <message>
        <source>%1 W</source>
        <translation>%1 W</translation>
    </message>
    <message>
        <source>%1 / %2 W</source>
        <translation>%1 / %2 W</translation>
    </message>
    <message>
        <source>%1 MHz</source>
        <translation>%1 MHz</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>1 GPU</source>
        <translation>1 GPU</translation>
    </message>
    <message numerus="yes">
        <source>%n GPUs</source>
        <translation>
            <numerusform>%n GPU</numerusform>
            <numerusform>%n GPUs</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 / %2 GiB</source>
        <translation>%1 / %2 GiB</translation>
    </message>
    <message>
        <source>%1 (unified)</source>
        <translation>%1 (gemeinsam)</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>Überwachung läuft</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Starting monitoring…</source>
        <translation>Überwachung startet…</translation>
    </message>
    <message>
        <source>nvidia-smi not found</source>
        <translation>nvidia-smi nicht gefunden</translation>
    </message>
    <message>
        <source>No NVIDIA GPU found</source>
        <translation>Keine NVIDIA-GPU gefunden</translation>
    </message>
    <message>
        <source>Metrics stream interrupted, restarting</source>
        <translation>Messdatenstrom unterbrochen, wird neu gestartet</translation>
    </message>
    <message>
        <source>Monitoring paused</source>
        <translation>Überwachung pausiert</translation>
    </message>
</context>
<context>
    <name>MonitoringSettingsDialog</name>
    <message>
        <source>Monitoring settings</source>
        <translation>Überwachungseinstellungen</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>Erfassung</translation>
    </message>
    <message>
        <source>Sam&amp;ple every:</source>
        <translation>Mess&amp;wert alle:</translation>
    </message>
    <message>
        <source>How often nvidia-smi reports each GPU (its -lms interval).</source>
        <translation>Wie oft nvidia-smi jede GPU meldet (sein Intervall -lms).</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Host poll every:</source>
        <translation>&amp;Host abfragen alle:</translation>
    </message>
    <message>
        <source>How often the host&apos;s memory, load average and the processes on its GPUs are read.</source>
        <translation>Wie oft Arbeitsspeicher, Load Average und die Prozesse auf den GPUs des Hosts gelesen werden.</translation>
    </message>
    <message>
        <source>Alert thresholds</source>
        <translation>Alarmschwellen</translation>
    </message>
    <message>
        <source>&amp;Temperature alert at:</source>
        <translation>&amp;Temperaturalarm ab:</translation>
    </message>
    <message>
        <source>A GPU at or above this temperature raises a critical alert.</source>
        <translation>Eine GPU mit dieser Temperatur oder mehr löst einen kritischen Alarm aus.</translation>
    </message>
    <message>
        <source> °C</source>
        <translation> °C</translation>
    </message>
    <message>
        <source>Temperature alert &amp;ends at:</source>
        <translation>Temperaturalarm &amp;endet bei:</translation>
    </message>
    <message>
        <source>The alert ends once the GPU is back at or below this temperature.</source>
        <translation>Der Alarm endet, sobald die GPU wieder bei dieser Temperatur oder darunter ist.</translation>
    </message>
    <message>
        <source>&amp;Memory alert at:</source>
        <translation>&amp;Speicheralarm ab:</translation>
    </message>
    <message>
        <source>A GPU whose memory is this full raises a warning.</source>
        <translation>Eine GPU, deren Speicher so voll ist, löst eine Warnung aus.</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Memory alert e&amp;nds at:</source>
        <translation>Speicheralarm e&amp;ndet bei:</translation>
    </message>
    <message>
        <source>The warning ends once the memory is back at or below this level.</source>
        <translation>Die Warnung endet, sobald der Speicher wieder bei diesem Wert oder darunter ist.</translation>
    </message>
    <message>
        <source>Host &amp;unreachable after:</source>
        <translation>Host &amp;unerreichbar nach:</translation>
    </message>
    <message>
        <source>A host whose link stays down this long raises a critical alert.</source>
        <translation>Ein Host, dessen Verbindung so lange getrennt bleibt, löst einen kritischen Alarm aus.</translation>
    </message>
    <message>
        <source>History kept</source>
        <translation>Aufbewahrter Verlauf</translation>
    </message>
    <message>
        <source>Keep e&amp;very sample for:</source>
        <translation>&amp;Jeden Messwert behalten:</translation>
    </message>
    <message>
        <source>Raw samples, the finest detail, used for the last hours.</source>
        <translation>Rohe Messwerte, die feinste Auflösung, für die letzten Stunden.</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Keep &amp;1-minute averages for:</source>
        <translation>&amp;1-Minuten-Mittel behalten:</translation>
    </message>
    <message>
        <source>Used for charts over a day or a week.</source>
        <translation>Für Diagramme über einen Tag oder eine Woche.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Keep 1-h&amp;our averages for:</source>
        <translation>1-Stunden-&amp;Mittel behalten:</translation>
    </message>
    <message>
        <source>Used for charts over a month or more.</source>
        <translation>Für Diagramme über einen Monat oder mehr.</translation>
    </message>
    <message>
        <source>RunPod pod &amp;idle alert after:</source>
        <translation>RunPod-Pod-&amp;Leerlaufalarm nach:</translation>
    </message>
    <message>
        <source>A RunPod pod with no GPU process and every GPU under 5 % this long raises an alert with its cost so far. Off at 0.</source>
        <translation>Ein RunPod-Pod ohne GPU-Prozess, dessen GPUs alle so lange unter 5 % liegen, löst einen Alarm mit seinen bisherigen Kosten aus. Aus bei 0.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Stop a job&apos;s pod &amp;after it ends:</source>
        <translation>&amp;Pod eines beendeten Jobs stoppen nach:</translation>
    </message>
    <message>
        <source>For a job whose pod is stopped or terminated when it ends: how long GPU Deck waits first.</source>
        <translation>Für einen Job, dessen Pod bei seinem Ende gestoppt oder beendet wird: wie lange GPU Deck vorher wartet.</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Declare a host &amp;down after:</source>
        <translation>Host als aus&amp;gefallen werten nach:</translation>
    </message>
    <message>
        <source>A connected host that answers nothing for this long (a keepalive goes out every third of it) is declared down: its commands fail, its metrics show it offline, and GPU Deck reconnects as soon as it answers again.</source>
        <translation>Ein verbundener Host, der so lange auf nichts antwortet (ein Keepalive geht nach jedem Drittel dieser Zeit hinaus), gilt als ausgefallen: Seine Befehle schlagen fehl, seine Messwerte zeigen ihn offline, und GPU Deck verbindet neu, sobald er wieder antwortet.</translation>
    </message>
    <message>
        <source> s without an answer</source>
        <translation> s ohne Antwort</translation>
    </message>
</context>
<context>
    <name>ProjectDialog</name>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>llama-finetune</source>
        <translation>llama-finetune</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>Besch&amp;reibung:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Remote path:</source>
        <translation>&amp;Pfad auf dem Host:</translation>
    </message>
    <message>
        <source>~/projects/llama-finetune</source>
        <translation>~/projects/llama-finetune</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>&amp;Backend:</source>
        <translation>&amp;Backend:</translation>
    </message>
    <message>
        <source>&amp;Local folder:</source>
        <translation>&amp;Lokaler Ordner:</translation>
    </message>
    <message>
        <source>The project&apos;s git work tree on this computer (for Sync)</source>
        <translation>Der Git-Arbeitsbaum des Projekts auf diesem Computer (für Synchronisieren)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>E&amp;xtra files:</source>
        <translation>&amp;Zusatzdateien:</translation>
    </message>
    <message>
        <source>&amp;Add file…</source>
        <translation>Datei &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Files outside git that a run needs (a .env, a credentials file), named one by one. Sync sends them with mode 0600 (only the remote user can read them) and never logs their names or contents.</source>
        <translation>Dateien außerhalb von Git, die ein Lauf braucht (eine .env, eine Datei mit Zugangsdaten), einzeln benannt. Synchronisieren sendet sie mit Modus 0600 (nur der entfernte Benutzer kann sie lesen) und protokolliert nie ihre Namen oder Inhalte.</translation>
    </message>
</context>
<context>
    <name>SshImportDialog</name>
    <message>
        <source>Import from SSH config</source>
        <translation>Aus SSH-Konfiguration importieren</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <source>An OpenSSH client config. Press Enter to read it again.</source>
        <translation>Eine OpenSSH-Client-Konfiguration. Enter liest sie erneut ein.</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>Each Host entry can become a connection. Host names, users, ports and key files are taken over; nothing is connected yet, and existing connections are never changed.</source>
        <translation>Jeder Host-Eintrag kann eine Verbindung werden. Host-Namen, Benutzer, Ports und Schlüsseldateien werden übernommen; noch wird nichts verbunden, und bestehende Verbindungen werden nie geändert.</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Alle aus&amp;wählen</translation>
    </message>
    <message>
        <source>Select &amp;none</source>
        <translation>&amp;Keine auswählen</translation>
    </message>
</context>
<context>
    <name>TrayState</name>
    <message>
        <source>%1: connection failed</source>
        <translation>%1: Verbindung fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: reconnecting (attempt %2)</source>
        <translation>%1: verbinde neu (Versuch %2)</translation>
    </message>
    <message>
        <source>%1: reconnecting</source>
        <translation>%1: verbinde neu</translation>
    </message>
    <message>
        <source>%1: connecting</source>
        <translation>%1: verbinde</translation>
    </message>
    <message>
        <source>%1: offline</source>
        <translation>%1: offline</translation>
    </message>
    <message>
        <source>%1: connected</source>
        <translation>%1: verbunden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2, %3, %4</source>
        <translation>%1: %2, %3, %4</translation>
    </message>
    <message>
        <source>GPU Deck</source>
        <translation>GPU Deck</translation>
    </message>
    <message>
        <source>Monitoring paused</source>
        <translation>Überwachung pausiert</translation>
    </message>
    <message>
        <source>No hosts connected</source>
        <translation>Keine Hosts verbunden</translation>
    </message>
    <message>
        <source>1 critical alert</source>
        <translation>1 kritischer Alarm</translation>
    </message>
    <message numerus="yes">
        <source>%n critical alerts</source>
        <translation>
            <numerusform>%n kritischer Alarm</numerusform>
            <numerusform>%n kritische Alarme</numerusform>
        </translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1 Warnung</translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: down (probing)</source>
        <translation>%1: ausgefallen (wird geprüft)</translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsIndicator</name>
    <message>
        <source>Show the alerts</source>
        <translation>Alarme anzeigen</translation>
    </message>
    <message>
        <source>1 active alert</source>
        <translation>1 aktiver Alarm</translation>
    </message>
    <message numerus="yes">
        <source>%n active alerts</source>
        <translation>
            <numerusform>%n aktiver Alarm</numerusform>
            <numerusform>%n aktive Alarme</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsModel</name>
    <message>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schwere</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Ende</translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsPanel</name>
    <message>
        <source>Active only</source>
        <translation>Nur aktive</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message numerus="yes">
        <source>%n active</source>
        <translation>
            <numerusform>%n aktiv</numerusform>
            <numerusform>%n aktiv</numerusform>
        </translation>
    </message>
    <message>
        <source>No active alerts.</source>
        <translation>Keine aktiven Alarme.</translation>
    </message>
    <message>
        <source>No alerts yet. GPU Deck raises one when a GPU runs hot, its memory fills up, or a host stays unreachable; the thresholds are in Monitoring settings.</source>
        <translation>Noch keine Alarme. GPU Deck löst einen aus, wenn eine GPU heiß läuft, ihr Speicher voll wird oder ein Host nicht erreichbar bleibt; die Schwellen stehen in den Überwachungseinstellungen.</translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionDialog</name>
    <message>
        <source>Add connection</source>
        <translation>Verbindung hinzufügen</translation>
    </message>
    <message>
        <source>Edit connection %1</source>
        <translation>Verbindung %1 bearbeiten</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored password</source>
        <translation>Leer lassen, um das gespeicherte Passwort zu behalten</translation>
    </message>
    <message>
        <source>Stored in the system keychain</source>
        <translation>Wird im Schlüsselbund des Systems gespeichert</translation>
    </message>
    <message>
        <source>Key pass&amp;phrase:</source>
        <translation>Passphrase des Sch&amp;lüssels:</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored passphrase</source>
        <translation>Leer lassen, um die gespeicherte Passphrase zu behalten</translation>
    </message>
    <message>
        <source>Only if the key file has one</source>
        <translation>Nur, wenn die Schlüsseldatei eine hat</translation>
    </message>
    <message>
        <source>Choose an SSH private key</source>
        <translation>Privaten SSH-Schlüssel wählen</translation>
    </message>
    <message>
        <source>Saving to the system keychain…</source>
        <translation>Speichere im Schlüsselbund des Systems…</translation>
    </message>
    <message>
        <source>password</source>
        <translation>das Passwort</translation>
    </message>
    <message>
        <source>key passphrase</source>
        <translation>die Schlüssel-Passphrase</translation>
    </message>
    <message>
        <source>The connection was saved, but the %1 was not: %2</source>
        <translation>Die Verbindung wurde gespeichert, %1 aber nicht: %2</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored one</source>
        <translation>Leer lassen, um den gespeicherten Wert zu behalten</translation>
    </message>
    <message>
        <source>Rarely needed; e.g. 01:02:03:04:05:06</source>
        <translation>Selten nötig; z. B. 01:02:03:04:05:06</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored secret</source>
        <translation>Leer lassen, um das gespeicherte Geheimnis zu behalten</translation>
    </message>
    <message>
        <source>The SecureOn password must be %1</source>
        <translation>Das SecureOn-Passwort muss %1 sein</translation>
    </message>
    <message>
        <source>SecureOn password</source>
        <translation>das SecureOn-Passwort</translation>
    </message>
    <message>
        <source>API token secret</source>
        <translation>das Geheimnis des API-Tokens</translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsModel</name>
    <message>
        <source>(this computer)</source>
        <translation>(dieser Computer)</translation>
    </message>
    <message>
        <source>%1 (since %2)</source>
        <translation>%1 (seit %2)</translation>
    </message>
    <message>
        <source>%1 since %2</source>
        <translation>%1 seit %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Last connected %1</source>
        <translation>Zuletzt verbunden %1</translation>
    </message>
    <message>
        <source>Never connected</source>
        <translation>Nie verbunden</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsPane</name>
    <message>
        <source>&amp;Add…</source>
        <translation>Hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Add connection…</source>
        <translation>Verbindung &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Import from SSH config…</source>
        <translation>Aus SSH-Konfiguration &amp;importieren…</translation>
    </message>
    <message>
        <source>Create connections from the Host entries of ~/.ssh/config</source>
        <translation>Verbindungen aus den Host-Einträgen von ~/.ssh/config anlegen</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>&amp;Run command…</source>
        <translation>Befehl a&amp;usführen…</translation>
    </message>
    <message>
        <source>Set &amp;password / passphrase…</source>
        <translation>&amp;Passwort / Passphrase festlegen…</translation>
    </message>
    <message>
        <source>Store the password or key passphrase in the system keychain</source>
        <translation>Das Passwort oder die Passphrase des Schlüssels im Schlüsselbund des Systems speichern</translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation>V&amp;erbinden</translation>
    </message>
    <message>
        <source>D&amp;isconnect</source>
        <translation>T&amp;rennen</translation>
    </message>
    <message>
        <source>Import from &amp;SSH config…</source>
        <translation>&amp;SSH-Import…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop connecting</source>
        <translation>Verbinden abbrechen</translation>
    </message>
    <message>
        <source>Cancel the connection attempt</source>
        <translation>Den Verbindungsversuch abbrechen</translation>
    </message>
    <message>
        <source>Close the link</source>
        <translation>Die Verbindung schließen</translation>
    </message>
    <message>
        <source>Run a command on this host</source>
        <translation>Einen Befehl auf diesem Host ausführen</translation>
    </message>
    <message>
        <source>Connect first to run commands</source>
        <translation>Erst verbinden, um Befehle auszuführen</translation>
    </message>
    <message>
        <source>Select a connection to see its link.</source>
        <translation>Wählen Sie eine Verbindung, um ihren Zustand zu sehen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2</translation>
    </message>
    <message>
        <source>host key %1</source>
        <translation>Host-Schlüssel %1</translation>
    </message>
    <message>
        <source>signed in with %1</source>
        <translation>angemeldet mit %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Mit %1 verbunden</translation>
    </message>
    <message>
        <source>Stopped connecting to %1</source>
        <translation>Verbinden mit %1 abgebrochen</translation>
    </message>
    <message>
        <source>Disconnected %1</source>
        <translation>%1 getrennt</translation>
    </message>
    <message>
        <source>%1: check its host key to connect</source>
        <translation>%1: Host-Schlüssel prüfen, um zu verbinden</translation>
    </message>
    <message>
        <source>Could not connect to %1: %2</source>
        <translation>Keine Verbindung zu %1: %2</translation>
    </message>
    <message>
        <source>Not connected to %1: its host key was not trusted</source>
        <translation>Nicht mit %1 verbunden: Seinem Host-Schlüssel wurde nicht vertraut</translation>
    </message>
    <message>
        <source>Forget the old host key</source>
        <translation>Den alten Host-Schlüssel vergessen</translation>
    </message>
    <message>
        <source>GPU Deck&apos;s own list of host keys has no key for %1, so the old key must come from your ~/.ssh/known_hosts, which GPU Deck never changes. Remove it there with

    ssh-keygen -R &quot;%1&quot;

and connect again.</source>
        <translation>Die eigene Liste der Host-Schlüssel von GPU Deck hat keinen Schlüssel für %1, also stammt der alte Schlüssel aus Ihrer ~/.ssh/known_hosts, die GPU Deck nie ändert. Entfernen Sie ihn dort mit

    ssh-keygen -R &quot;%1&quot;

und verbinden Sie erneut.</translation>
    </message>
    <message>
        <source>Forgot the old host key of %1; connecting again</source>
        <translation>Alten Host-Schlüssel von %1 vergessen; verbinde erneut</translation>
    </message>
    <message>
        <source>Imported from SSH config: %1</source>
        <translation>Aus der SSH-Konfiguration importiert: %1</translation>
    </message>
    <message>
        <source>Saved connection %1</source>
        <translation>Verbindung %1 gespeichert</translation>
    </message>
    <message>
        <source>Stored the %1 of %2 in the system keychain</source>
        <translation>Im Schlüsselbund des Systems gespeichert: %1 von %2</translation>
    </message>
    <message>
        <source>Delete connection</source>
        <translation>Verbindung löschen</translation>
    </message>
    <message>
        <source>Delete the connection %1?</source>
        <translation>Die Verbindung %1 löschen?</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>%1 still has projects. Delete the connection together with its projects and their jobs?</source>
        <translation>%1 hat noch Projekte. Die Verbindung zusammen mit ihren Projekten und deren Jobs löschen?</translation>
    </message>
    <message>
        <source>Delete with its projects</source>
        <translation>Mit ihren Projekten löschen</translation>
    </message>
    <message>
        <source>Deleted connection %1</source>
        <translation>Verbindung %1 gelöscht</translation>
    </message>
    <message>
        <source>&amp;Wake (Wake-on-LAN)…</source>
        <translation>&amp;Aufwecken (Wake-on-LAN)…</translation>
    </message>
    <message>
        <source>Send the host&apos;s magic packet and wait until it answers on SSH</source>
        <translation>Das Magic Packet des Hosts senden und warten, bis er über SSH antwortet</translation>
    </message>
    <message>
        <source>Connect &amp;all</source>
        <translation>Alle v&amp;erbinden</translation>
    </message>
    <message>
        <source>Connect every connection that is not connected yet</source>
        <translation>Jede Verbindung verbinden, die noch nicht verbunden ist</translation>
    </message>
    <message>
        <source>Disconnect a&amp;ll…</source>
        <translation>Alle t&amp;rennen…</translation>
    </message>
    <message>
        <source>Close every link; monitoring of every host stops</source>
        <translation>Jede Verbindung schließen; die Überwachung aller Hosts endet</translation>
    </message>
    <message>
        <source>&amp;Wake…</source>
        <translation>A&amp;ufwecken…</translation>
    </message>
    <message>
        <source>Connect all</source>
        <translation>Alle verbinden</translation>
    </message>
    <message>
        <source>Disconnect all…</source>
        <translation>Alle trennen…</translation>
    </message>
    <message>
        <source>Send the magic packet and wait until the host answers on SSH</source>
        <translation>Das Magic Packet senden und warten, bis der Host über SSH antwortet</translation>
    </message>
    <message>
        <source>Set the connection&apos;s MAC address to wake it</source>
        <translation>Tragen Sie die MAC-Adresse der Verbindung ein, um den Host aufzuwecken</translation>
    </message>
    <message numerus="yes">
        <source>last probe %1, next %2 (%n probe(s) so far)</source>
        <translation>
            <numerusform>letzte Prüfung %1, nächste %2 (bisher %n Prüfung)</numerusform>
            <numerusform>letzte Prüfung %1, nächste %2 (bisher %n Prüfungen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting all…</source>
        <translation>Verbinde alle…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>Connect all: %n connected</source>
        <translation>
            <numerusform>Alle verbinden: %n verbunden</numerusform>
            <numerusform>Alle verbinden: %n verbunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Connect all: %n connected; not connected: %1</source>
        <translation>
            <numerusform>Alle verbinden: %n verbunden; nicht verbunden: %1</numerusform>
            <numerusform>Alle verbinden: %n verbunden; nicht verbunden: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>No link to close</source>
        <translation>Keine Verbindung zu schließen</translation>
    </message>
    <message>
        <source>Disconnect all</source>
        <translation>Alle trennen</translation>
    </message>
    <message numerus="yes">
        <source>Close all %n link(s)? Monitoring of every host stops, and watched hosts stay disconnected until you connect them or GPU Deck starts again.</source>
        <translation>
            <numerusform>Die Verbindung schließen? Die Überwachung aller Hosts endet, und beobachtete Hosts bleiben getrennt, bis Sie sie verbinden oder GPU Deck neu startet.</numerusform>
            <numerusform>Alle %n Verbindungen schließen? Die Überwachung aller Hosts endet, und beobachtete Hosts bleiben getrennt, bis Sie sie verbinden oder GPU Deck neu startet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Disconnected %n host(s)</source>
        <translation>
            <numerusform>%n Host getrennt</numerusform>
            <numerusform>%n Hosts getrennt</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation>%1 neu verbinden</translation>
    </message>
    <message>
        <source>%1 is connected with its previous settings. Reconnect now with the new ones?</source>
        <translation>%1 ist mit den bisherigen Einstellungen verbunden. Jetzt mit den neuen neu verbinden?</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Reconnecting %1 with its new settings</source>
        <translation>Verbinde %1 mit den neuen Einstellungen neu</translation>
    </message>
    <message>
        <source>%1 keeps its link with the previous settings until it reconnects</source>
        <translation>%1 behält die Verbindung mit den bisherigen Einstellungen, bis neu verbunden wird</translation>
    </message>
    <message>
        <source>Wake of %1: %2</source>
        <translation>Aufwecken von %1: %2</translation>
    </message>
</context>
<context>
    <name>gpudeck::ConsoleDialog</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Run command on %1</source>
        <translation>Befehl auf %1 ausführen</translation>
    </message>
    <message>
        <source>this computer</source>
        <translation>diesem Computer</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2 · %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; auf %2 · %3</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Läuft…</translation>
    </message>
    <message>
        <source>$ %1    (run anyway)</source>
        <translation>$ %1    (trotzdem ausgeführt)</translation>
    </message>
    <message>
        <source>Refused by the safety guard: %1</source>
        <translation>Von der Sicherheitssperre abgelehnt: %1</translation>
    </message>
    <message>
        <source>Refused by the safety guard; waiting for your answer…</source>
        <translation>Von der Sicherheitssperre abgelehnt; wartet auf Ihre Antwort…</translation>
    </message>
    <message>
        <source>This command looks destructive: %1.

Run it anyway?</source>
        <translation>Dieser Befehl sieht zerstörerisch aus: %1.

Trotzdem ausführen?</translation>
    </message>
    <message>
        <source>Run a destructive command?</source>
        <translation>Zerstörerischen Befehl ausführen?</translation>
    </message>
    <message>
        <source>Run anyway</source>
        <translation>Trotzdem ausführen</translation>
    </message>
    <message>
        <source>Not run: the safety guard refused it</source>
        <translation>Nicht ausgeführt: Die Sicherheitssperre hat ihn abgelehnt</translation>
    </message>
    <message>
        <source>Exit code %1</source>
        <translation>Exit-Code %1</translation>
    </message>
    <message>
        <source>Killed by signal %1</source>
        <translation>Durch Signal %1 beendet</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · output truncated</source>
        <translation>%1 · Ausgabe gekürzt</translation>
    </message>
    <message>
        <source>Stopped waiting. The command may still be running on the host until it ends or its %1 s timeout kills it.</source>
        <translation>Warten beendet. Der Befehl läuft auf dem Host möglicherweise weiter, bis er endet oder sein Zeitlimit von %1 s ihn beendet.</translation>
    </message>
    <message>
        <source>Stopped waiting</source>
        <translation>Warten beendet</translation>
    </message>
    <message>
        <source>… %1 more bytes not shown</source>
        <translation>… %1 weitere Byte nicht angezeigt</translation>
    </message>
</context>
<context>
    <name>gpudeck::FleetPane</name>
    <message>
        <source>%1 kW</source>
        <translation>%1 kW</translation>
    </message>
    <message>
        <source>Cannot read the fleet: %1</source>
        <translation>Die Flotte kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPUs</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU-Speicher</translation>
    </message>
    <message>
        <source>Power draw</source>
        <translation>Leistungsaufnahme</translation>
    </message>
    <message>
        <source>Running jobs</source>
        <translation>Laufende Jobs</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Rent a GPU on RunPod…</source>
        <translation>GPU bei RunPod mieten…</translation>
    </message>
    <message>
        <source>%1 of %2 up · %3 asleep</source>
        <translation>%1 von %2 erreichbar · %3 schlafend</translation>
    </message>
    <message>
        <source>%1 of %2 up</source>
        <translation>%1 von %2 erreichbar</translation>
    </message>
    <message>
        <source>%1 busy · %2 free</source>
        <translation>%1 belegt · %2 frei</translation>
    </message>
    <message>
        <source>%1 GPUs with a current reading. Free: under %2 % utilisation for the last %3 s and no process.</source>
        <translation>%1 GPUs mit aktuellem Messwert. Frei: in den letzten %3 s unter %2 % Auslastung und kein Prozess.</translation>
    </message>
    <message>
        <source>Active alerts: see the tiles, or the alerts under the GPUs pane</source>
        <translation>Aktive Alarme: siehe die Kacheln oder die Alarme im GPU-Bereich</translation>
    </message>
    <message>
        <source>A cloud machine with the GPU you choose; it shows here and becomes a connection once it runs.</source>
        <translation>Eine Cloud-Maschine mit der GPU Ihrer Wahl; sie erscheint hier und wird zur Verbindung, sobald sie läuft.</translation>
    </message>
</context>
<context>
    <name>gpudeck::FleetPods</name>
    <message>
        <source>Pod %1 was not created: %2</source>
        <translation>Pod %1 wurde nicht angelegt: %2</translation>
    </message>
    <message>
        <source>Pod %1 created: it becomes the connection %1 once it runs with SSH</source>
        <translation>Pod %1 angelegt: Er wird zur Verbindung %1, sobald er mit SSH läuft</translation>
    </message>
    <message>
        <source>Pod %1 created</source>
        <translation>Pod %1 angelegt</translation>
    </message>
    <message>
        <source>RunPod API key removed from the keychain</source>
        <translation>RunPod-API-Schlüssel aus dem Schlüsselbund entfernt</translation>
    </message>
    <message>
        <source>RunPod API key saved in the keychain</source>
        <translation>RunPod-API-Schlüssel im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <source>Stop after &apos;%1&apos;</source>
        <translation>Stoppen nach „%1“</translation>
    </message>
    <message>
        <source>Terminate after &apos;%1&apos;</source>
        <translation>Beenden nach „%1“</translation>
    </message>
</context>
<context>
    <name>gpudeck::FleetProxmox</name>
    <message>
        <source>The certificate was not trusted: %1</source>
        <translation>Dem Zertifikat wurde nicht vertraut: %1</translation>
    </message>
    <message>
        <source>Certificate trusted</source>
        <translation>Zertifikat vertraut</translation>
    </message>
</context>
<context>
    <name>gpudeck::FleetWake</name>
    <message>
        <source>Waking…</source>
        <translation>Wecke auf…</translation>
    </message>
    <message>
        <source>Cannot wake it: %1</source>
        <translation>Aufwecken nicht möglich: %1</translation>
    </message>
    <message>
        <source>Asking its cluster to wake it…</source>
        <translation>Bitte seinen Cluster, ihn aufzuwecken…</translation>
    </message>
    <message>
        <source>Waiting for SSH… %1 s of %2 s</source>
        <translation>Warte auf SSH… %1 s von %2 s</translation>
    </message>
    <message>
        <source>Waiting for SSH… %1 s</source>
        <translation>Warte auf SSH… %1 s</translation>
    </message>
    <message>
        <source>Awake: connecting…</source>
        <translation>Wach: verbinde…</translation>
    </message>
    <message>
        <source>%1 is awake after %2 s</source>
        <translation>%1 ist nach %2 s wach</translation>
    </message>
    <message>
        <source>, but connecting failed: %1</source>
        <translation>, aber das Verbinden ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s of waking (%3 packets sent)</source>
        <translation>%1 hat nicht innerhalb von %2 s nach dem Aufwecken geantwortet (%3 Pakete gesendet)</translation>
    </message>
    <message>
        <source>Stopped waiting for %1</source>
        <translation>Warten auf %1 beendet</translation>
    </message>
    <message>
        <source>Wake-on-LAN packet sent to %1</source>
        <translation>Wake-on-LAN-Paket an %1 gesendet</translation>
    </message>
    <message>
        <source>Waking %1 failed</source>
        <translation>Aufwecken von %1 fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>gpudeck::GpusPane</name>
    <message>
        <source>5 min</source>
        <translation>5 min</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 T</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 T</translation>
    </message>
    <message>
        <source>No GPU readings in the last %1.</source>
        <translation>Keine GPU-Messwerte in den letzten %1.</translation>
    </message>
    <message>
        <source>&amp;Pause monitoring</source>
        <translation>Überwachung &amp;pausieren</translation>
    </message>
    <message>
        <source>Stop reading GPU metrics on every host until resumed</source>
        <translation>Das Lesen der GPU-Messwerte auf allen Hosts anhalten, bis es fortgesetzt wird</translation>
    </message>
    <message>
        <source>Monitoring &amp;settings…</source>
        <translation>Überwachungs&amp;einstellungen…</translation>
    </message>
    <message>
        <source>Live: the last five minutes, as they come in</source>
        <translation>Live: die letzten fünf Minuten, so wie sie eintreffen</translation>
    </message>
    <message>
        <source>The stored history of the last %1</source>
        <translation>Der gespeicherte Verlauf der letzten %1</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>Choose the hosts shown side by side</source>
        <translation>Die Hosts wählen, die nebeneinander gezeigt werden</translation>
    </message>
    <message>
        <source>No GPUs to show yet.
Connect a host in Connections: its GPUs appear here as soon as monitoring reads them.</source>
        <translation>Noch keine GPUs anzuzeigen.
Verbinden Sie einen Host unter Verbindungen: Seine GPUs erscheinen hier, sobald die Überwachung sie liest.</translation>
    </message>
    <message>
        <source>No GPU metrics stored for the last %1.</source>
        <translation>Keine GPU-Messwerte für die letzten %1 gespeichert.</translation>
    </message>
    <message>
        <source>Monitoring paused</source>
        <translation>Überwachung pausiert</translation>
    </message>
    <message>
        <source>Monitoring resumed</source>
        <translation>Überwachung fortgesetzt</translation>
    </message>
    <message>
        <source>Monitoring settings saved</source>
        <translation>Überwachungseinstellungen gespeichert</translation>
    </message>
    <message>
        <source>No connections yet</source>
        <translation>Noch keine Verbindungen</translation>
    </message>
    <message>
        <source>alert %1</source>
        <translation>Alarm %1</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>Limit %1</translation>
    </message>
</context>
<context>
    <name>gpudeck::HostColumn</name>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>GPU processes</source>
        <translation>GPU-Prozesse</translation>
    </message>
    <message>
        <source>No processes are using the GPUs.</source>
        <translation>Keine Prozesse nutzen die GPUs.</translation>
    </message>
    <message>
        <source>Utilisation (%)</source>
        <translation>Auslastung (%)</translation>
    </message>
    <message>
        <source>Memory used (GiB)</source>
        <translation>Speicher belegt (GiB)</translation>
    </message>
    <message>
        <source>Temperature (°C)</source>
        <translation>Temperatur (°C)</translation>
    </message>
    <message>
        <source>Power (W)</source>
        <translation>Leistung (W)</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Util</source>
        <translation>Ausl.</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <source>SM clock</source>
        <translation>SM-Takt</translation>
    </message>
    <message>
        <source>P-state</source>
        <translation>P-State</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>RAM %1</source>
        <translation>RAM %1</translation>
    </message>
    <message>
        <source>load %1</source>
        <translation>Last %1</translation>
    </message>
    <message>
        <source>Not monitored now: only the stored history is shown.</source>
        <translation>Derzeit nicht überwacht: Nur der gespeicherte Verlauf wird gezeigt.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1
%2
Bus %3</source>
        <translation>%1
%2
Bus %3</translation>
    </message>
    <message>
        <source>Unified memory: the GPU shares the host&apos;s RAM; the figures are the host&apos;s, from /proc/meminfo</source>
        <translation>Gemeinsamer Speicher: Die GPU teilt sich den RAM des Hosts; die Werte sind die des Hosts, aus /proc/meminfo</translation>
    </message>
    <message>
        <source>Memory (unified)</source>
        <translation>Speicher (gemeinsam)</translation>
    </message>
    <message>
        <source>SM clock %1, %2</source>
        <translation>SM-Takt %1, %2</translation>
    </message>
    <message>
        <source>%1 (unified)</source>
        <translation>%1 (gemeinsam)</translation>
    </message>
</context>
<context>
    <name>gpudeck::HostKeyDialog</name>
    <message>
        <source>Unknown host key</source>
        <translation>Unbekannter Host-Schlüssel</translation>
    </message>
    <message>
        <source>GPU Deck has not seen %1 before</source>
        <translation>GPU Deck kennt %1 noch nicht</translation>
    </message>
    <message>
        <source>Before trusting it, make sure this is really your host: anyone between you and it could present their own key. Once trusted, the key is remembered and checked on every connect.</source>
        <translation>Bevor Sie ihm vertrauen, stellen Sie sicher, dass dies wirklich Ihr Host ist: Jeder zwischen Ihnen und ihm könnte seinen eigenen Schlüssel vorlegen. Einmal vertraut, wird der Schlüssel gespeichert und bei jedem Verbinden geprüft.</translation>
    </message>
    <message>
        <source>To check, run this on the host itself (at its console, or over a connection you already trust):</source>
        <translation>Führen Sie zur Prüfung dies auf dem Host selbst aus (an seiner Konsole oder über eine Verbindung, der Sie schon vertrauen):</translation>
    </message>
    <message>
        <source>One of the lines it prints must show exactly the fingerprint above. If none does, do not connect.</source>
        <translation>Eine der ausgegebenen Zeilen muss genau den Fingerabdruck oben zeigen. Wenn keine es tut, verbinden Sie nicht.</translation>
    </message>
    <message>
        <source>&amp;Trust and connect</source>
        <translation>&amp;Vertrauen und verbinden</translation>
    </message>
    <message>
        <source>Host key changed</source>
        <translation>Host-Schlüssel geändert</translation>
    </message>
    <message>
        <source>WARNING: the host key of %1 has changed</source>
        <translation>WARNUNG: Der Host-Schlüssel von %1 hat sich geändert</translation>
    </message>
    <message>
        <source>New &amp;fingerprint:</source>
        <translation>Neuer &amp;Fingerabdruck:</translation>
    </message>
    <message>
        <source>GPU Deck refused to connect. If you know why the key changed (the host was reinstalled, its keys were regenerated), check the new key by running this on the host itself:</source>
        <translation>GPU Deck hat das Verbinden verweigert. Wenn Sie wissen, warum sich der Schlüssel geändert hat (der Host wurde neu installiert, seine Schlüssel neu erzeugt), prüfen Sie den neuen Schlüssel, indem Sie dies auf dem Host selbst ausführen:</translation>
    </message>
    <message>
        <source>Only when one of its lines shows exactly the new fingerprint above, forget the old key and trust the new one. Otherwise do not connect.</source>
        <translation>Nur wenn eine der Zeilen genau den neuen Fingerabdruck oben zeigt, vergessen Sie den alten Schlüssel und vertrauen Sie dem neuen. Andernfalls verbinden Sie nicht.</translation>
    </message>
    <message>
        <source>&amp;Forget the old key…</source>
        <translation>Alten Schlüssel &amp;vergessen…</translation>
    </message>
    <message>
        <source>Forget the old host key of %1?

GPU Deck then connects again and shows you the new key to check and trust. Do this only if you know why the key changed.</source>
        <translation>Den alten Host-Schlüssel von %1 vergessen?

GPU Deck verbindet dann erneut und zeigt Ihnen den neuen Schlüssel zum Prüfen und Vertrauen. Tun Sie das nur, wenn Sie wissen, warum sich der Schlüssel geändert hat.</translation>
    </message>
    <message>
        <source>Forget the old host key</source>
        <translation>Den alten Host-Schlüssel vergessen</translation>
    </message>
    <message>
        <source>Forget the old key</source>
        <translation>Alten Schlüssel vergessen</translation>
    </message>
    <message>
        <source>%1 is a RunPod pod. A pod gets a new host key (and SSH port) every time it starts, so GPU Deck trusts the key it first sees for each run of the pod (trust on first use) and expects another one after the pod is stopped and started or restarted. Check the fingerprint in the pod&apos;s web terminal if you can.</source>
        <translation>%1 ist ein RunPod-Pod. Ein Pod bekommt bei jedem Start einen neuen Host-Schlüssel (und SSH-Port), daher vertraut GPU Deck dem Schlüssel, den es bei jedem Lauf des Pods zuerst sieht (Trust on First Use), und erwartet einen anderen, nachdem der Pod gestoppt und gestartet oder neu gestartet wurde. Prüfen Sie den Fingerabdruck im Web-Terminal des Pods, wenn Sie können.</translation>
    </message>
    <message>
        <source>%1 is a RunPod pod. A pod gets a new host key every time it starts, and GPU Deck trusts the new one on first use for each run, so a restart alone never brings you here: this key changed while the pod kept running. If you did not restart it, do not connect; restarting the pod starts a new run with a new key.</source>
        <translation>%1 ist ein RunPod-Pod. Ein Pod bekommt bei jedem Start einen neuen Host-Schlüssel, und GPU Deck vertraut dem neuen bei der ersten Verwendung in jedem Lauf; ein Neustart allein führt Sie also nie hierher: Dieser Schlüssel hat sich geändert, während der Pod weiterlief. Wenn Sie ihn nicht neu gestartet haben, verbinden Sie nicht; ein Neustart des Pods beginnt einen neuen Lauf mit einem neuen Schlüssel.</translation>
    </message>
</context>
<context>
    <name>gpudeck::HostTile</name>
    <message>
        <source>under a minute</source>
        <translation>unter einer Minute</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
    <message>
        <source>%1G</source>
        <translation>%1G</translation>
    </message>
    <message>
        <source>%1/%2G</source>
        <translation>%1/%2G</translation>
    </message>
    <message>
        <source>up</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>down</source>
        <translation>ausgefallen</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source> · not watched</source>
        <translation> · nicht beobachtet</translation>
    </message>
    <message>
        <source>Link: %1</source>
        <translation>Verbindung: %1</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Seit %1</translation>
    </message>
    <message>
        <source>GPU %1 %2: %3</source>
        <translation>GPU %1 %2: %3</translation>
    </message>
    <message>
        <source>%1 of %2 free</source>
        <translation>%1 von %2 frei</translation>
    </message>
    <message>
        <source>asleep —</source>
        <translation>schläft —</translation>
    </message>
    <message>
        <source>The link failed</source>
        <translation>Die Verbindung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>No GPUs</source>
        <translation>Keine GPUs</translation>
    </message>
    <message>
        <source>No model answering</source>
        <translation>Kein Modell antwortet</translation>
    </message>
    <message>
        <source>Serving %1 (%2)</source>
        <translation>Stellt %1 bereit (%2)</translation>
    </message>
    <message>
        <source>swapping</source>
        <translation>wechselt</translation>
    </message>
    <message>
        <source>%1/%2 services up</source>
        <translation>%1/%2 Dienste erreichbar</translation>
    </message>
    <message>
        <source>No model served</source>
        <translation>Kein Modell bereitgestellt</translation>
    </message>
    <message>
        <source>No jobs running</source>
        <translation>Keine Jobs laufen</translation>
    </message>
    <message>
        <source>Job: %1</source>
        <translation>Job: %1</translation>
    </message>
    <message>
        <source>%1 jobs: %2</source>
        <translation>%1 Jobs: %2</translation>
    </message>
    <message>
        <source>No alerts</source>
        <translation>Keine Alarme</translation>
    </message>
    <message>
        <source>%1 alerts: %2</source>
        <translation>%1 Alarme: %2</translation>
    </message>
    <message>
        <source>Wake</source>
        <translation>Aufwecken</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop waiting for %1</source>
        <translation>Warten auf %1 beenden</translation>
    </message>
    <message>
        <source>Send %1 a Wake-on-LAN packet and wait until it answers</source>
        <translation>%1 ein Wake-on-LAN-Paket senden und warten, bis er antwortet</translation>
    </message>
    <message>
        <source>Waking…</source>
        <translation>Wecke auf…</translation>
    </message>
</context>
<context>
    <name>gpudeck::JobDialog</name>
    <message>
        <source>New job</source>
        <translation>Neuer Job</translation>
    </message>
    <message>
        <source>Edit job %1</source>
        <translation>Job %1 bearbeiten</translation>
    </message>
    <message>
        <source>Environment line %1 is not KEY=VALUE: %2</source>
        <translation>Umgebungszeile %1 ist nicht KEY=VALUE: %2</translation>
    </message>
    <message>
        <source>Only for a project on a RunPod pod (a connection of kind runpod)</source>
        <translation>Nur für ein Projekt auf einem RunPod-Pod (einer Verbindung vom Typ runpod)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cost guard on:&lt;/b&gt; when this job ends (completed, failed or cancelled) its pod is &lt;b&gt;terminated&lt;/b&gt; after a short grace; its disk is deleted.</source>
        <translation>&lt;b&gt;Kostenschutz an:&lt;/b&gt; Wenn dieser Job endet (abgeschlossen, fehlgeschlagen oder abgebrochen), wird sein Pod nach einer kurzen Frist &lt;b&gt;beendet&lt;/b&gt;; sein Datenträger wird gelöscht.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cost guard on:&lt;/b&gt; when this job ends (completed, failed or cancelled) its pod is &lt;b&gt;stopped&lt;/b&gt; after a short grace.</source>
        <translation>&lt;b&gt;Kostenschutz an:&lt;/b&gt; Wenn dieser Job endet (abgeschlossen, fehlgeschlagen oder abgebrochen), wird sein Pod nach einer kurzen Frist &lt;b&gt;gestoppt&lt;/b&gt;.</translation>
    </message>
</context>
<context>
    <name>gpudeck::JobLogView</name>
    <message>
        <source>Select a job to see its log.</source>
        <translation>Wählen Sie einen Job, um sein Log zu sehen.</translation>
    </message>
    <message>
        <source>This job has no command: GPU Deck only tracks it, so there is no log.</source>
        <translation>Dieser Job hat keinen Befehl: GPU Deck verfolgt ihn nur, daher gibt es kein Log.</translation>
    </message>
    <message>
        <source>Waiting for output…</source>
        <translation>Warte auf Ausgabe…</translation>
    </message>
    <message>
        <source>Not started yet.</source>
        <translation>Noch nicht gestartet.</translation>
    </message>
</context>
<context>
    <name>gpudeck::JobMetricsChart</name>
    <message>
        <source>No metrics yet</source>
        <translation>Noch keine Metriken</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Minutes since the first line</source>
        <translation>Minuten seit der ersten Zeile</translation>
    </message>
    <message>
        <source>Seconds since the first line</source>
        <translation>Sekunden seit der ersten Zeile</translation>
    </message>
    <message>
        <source>Lines the job prints as GPUDECK_METRICS {&quot;loss&quot;: 0.5, ...} are drawn here, one line per key; with a &quot;step&quot; in every line, against the step.</source>
        <translation>Zeilen, die der Job als GPUDECK_METRICS {&quot;loss&quot;: 0.5, ...} ausgibt, werden hier gezeichnet, eine Linie je Schlüssel; steht in jeder Zeile ein &quot;step&quot;, über dem Schritt.</translation>
    </message>
</context>
<context>
    <name>gpudeck::JobsModel</name>
    <message>
        <source>Container %1</source>
        <translation>Container %1</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Stops pod</source>
        <translation>Stoppt Pod</translation>
    </message>
    <message>
        <source>Terminates pod</source>
        <translation>Beendet Pod</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>erneuter Versuch</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>FEHLGESCHLAGEN</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>Syncs first</source>
        <translation>Synchronisiert zuerst</translation>
    </message>
    <message>
        <source>Syncs first; %1</source>
        <translation>Synchronisiert zuerst; %1</translation>
    </message>
    <message>
        <source>When it ends</source>
        <translation>Bei Ende</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
    <message>
        <source>%1 …</source>
        <translation>%1 …</translation>
    </message>
    <message>
        <source>A tracked job: something else runs it and updates it through the API</source>
        <translation>Ein verfolgter Job: Etwas anderes führt ihn aus und aktualisiert ihn über die API</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Exit code</source>
        <translation>Exit-Code</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
</context>
<context>
    <name>gpudeck::JobsPane</name>
    <message>
        <source>&amp;New project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projekte</translation>
    </message>
    <message>
        <source>New &amp;job…</source>
        <translation>Neuer &amp;Job…</translation>
    </message>
    <message>
        <source>Ed&amp;it…</source>
        <translation>Bearbe&amp;iten…</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>Lö&amp;schen</translation>
    </message>
    <message>
        <source>S&amp;tart</source>
        <translation>S&amp;tarten</translation>
    </message>
    <message>
        <source>Run the job&apos;s command on its project&apos;s host</source>
        <translation>Den Befehl des Jobs auf dem Host seines Projekts ausführen</translation>
    </message>
    <message>
        <source>&amp;Cancel job…</source>
        <translation>Job abb&amp;rechen…</translation>
    </message>
    <message>
        <source>Interrupt the running job</source>
        <translation>Den laufenden Job unterbrechen</translation>
    </message>
    <message>
        <source>Set &amp;status</source>
        <translation>Stat&amp;us setzen</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metriken</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Status setzen</translation>
    </message>
    <message>
        <source>Add a connection first: every project lives on a connection.</source>
        <translation>Fügen Sie zuerst eine Verbindung hinzu: Jedes Projekt gehört zu einer Verbindung.</translation>
    </message>
    <message>
        <source>No projects yet. Create one here or through the API.</source>
        <translation>Noch keine Projekte. Legen Sie hier oder über die API eines an.</translation>
    </message>
    <message>
        <source>Jobs of %1</source>
        <translation>Jobs von %1</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Give the job a command (Edit…) to run it from here</source>
        <translation>Geben Sie dem Job einen Befehl (Bearbeiten…), um ihn hier auszuführen</translation>
    </message>
    <message>
        <source>Starting job %1…</source>
        <translation>Starte Job %1…</translation>
    </message>
    <message>
        <source>Start job</source>
        <translation>Job starten</translation>
    </message>
    <message>
        <source>Could not start %1.</source>
        <translation>%1 konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>Could not start job %1</source>
        <translation>Job %1 konnte nicht gestartet werden</translation>
    </message>
    <message>
        <source>Started job %1</source>
        <translation>Job %1 gestartet</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Job abbrechen</translation>
    </message>
    <message>
        <source>Cancel the running job %1? It is interrupted, and killed if it has not stopped after 10 seconds.</source>
        <translation>Den laufenden Job %1 abbrechen? Er wird unterbrochen und beendet, falls er nach 10 Sekunden nicht aufgehört hat.</translation>
    </message>
    <message>
        <source>Cancelled job %1</source>
        <translation>Job %1 abgebrochen</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Saved project %1</source>
        <translation>Projekt %1 gespeichert</translation>
    </message>
    <message>
        <source>Saved job %1</source>
        <translation>Job %1 gespeichert</translation>
    </message>
    <message>
        <source>Set job status</source>
        <translation>Job-Status setzen</translation>
    </message>
    <message>
        <source>Job %1: %2</source>
        <translation>Job %1: %2</translation>
    </message>
    <message>
        <source>Delete the project %1?</source>
        <translation>Das Projekt %1 löschen?</translation>
    </message>
    <message numerus="yes">
        <source>Delete the project %1 and its %n job(s)?</source>
        <translation>
            <numerusform>Das Projekt %1 und seinen %n Job löschen?</numerusform>
            <numerusform>Das Projekt %1 und seine %n Jobs löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete project</source>
        <translation>Projekt löschen</translation>
    </message>
    <message>
        <source>Deleted project %1</source>
        <translation>Projekt %1 gelöscht</translation>
    </message>
    <message>
        <source>Delete job</source>
        <translation>Job löschen</translation>
    </message>
    <message>
        <source>Delete the job %1?</source>
        <translation>Den Job %1 löschen?</translation>
    </message>
    <message>
        <source>Deleted job %1</source>
        <translation>Job %1 gelöscht</translation>
    </message>
    <message>
        <source>Each run of the job is an attempt with its own log</source>
        <translation>Jeder Lauf des Jobs ist ein Versuch mit eigenem Log</translation>
    </message>
    <message>
        <source>Run a&amp;gain</source>
        <translation>&amp;Erneut ausführen</translation>
    </message>
    <message>
        <source>Run the job&apos;s command again, as attempt %1 (the earlier logs stay)</source>
        <translation>Den Befehl des Jobs erneut ausführen, als Versuch %1 (die früheren Logs bleiben)</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>Attempt %1 — %2</source>
        <translation>Versuch %1 — %2</translation>
    </message>
    <message>
        <source>S&amp;ync</source>
        <translation>S&amp;ynchronisieren</translation>
    </message>
    <message>
        <source>&amp;Pull…</source>
        <translation>Zurückh&amp;olen…</translation>
    </message>
    <message>
        <source>Copy results, logs or a checkpoint from the project&apos;s host to this computer</source>
        <translation>Ergebnisse, Logs oder einen Checkpoint vom Host des Projekts auf diesen Computer kopieren</translation>
    </message>
    <message>
        <source>Select a project</source>
        <translation>Wählen Sie ein Projekt</translation>
    </message>
    <message>
        <source>Give the project a local folder (Edit…) to sync it</source>
        <translation>Geben Sie dem Projekt einen lokalen Ordner (Bearbeiten…), um es zu synchronisieren</translation>
    </message>
    <message>
        <source>Show the sync in progress</source>
        <translation>Die laufende Synchronisierung anzeigen</translation>
    </message>
    <message>
        <source>Connect %1 first: sync goes over its SSH session</source>
        <translation>Verbinden Sie zuerst %1: Die Synchronisierung läuft über seine SSH-Sitzung</translation>
    </message>
    <message>
        <source>Send the files git tracks in %1 (and the extra files) to %2:%3; only what changed</source>
        <translation>Die Dateien, die Git in %1 verfolgt (und die Zusatzdateien), nach %2:%3 senden; nur was sich geändert hat</translation>
    </message>
    <message>
        <source>its host</source>
        <translation>(unbekannter Host)</translation>
    </message>
    <message>
        <source>Sync %1 to %2:%3</source>
        <translation>%1 nach %2:%3 synchronisieren</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronisieren</translation>
    </message>
    <message>
        <source>Could not sync %1.</source>
        <translation>%1 konnte nicht synchronisiert werden.</translation>
    </message>
    <message>
        <source>Pull from %1:%2</source>
        <translation>Von %1:%2 zurückholen</translation>
    </message>
    <message>
        <source>D&amp;uplicate…</source>
        <translation>Dupli&amp;zieren…</translation>
    </message>
    <message>
        <source>A new job with this one&apos;s command and settings, none of its runs</source>
        <translation>Ein neuer Job mit dem Befehl und den Einstellungen dieses Jobs, ohne seine Läufe</translation>
    </message>
    <message>
        <source>Select a job</source>
        <translation>Wählen Sie einen Job</translation>
    </message>
    <message>
        <source>Duplicate…</source>
        <translation>Duplizieren…</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
</context>
<context>
    <name>gpudeck::MainWindow</name>
    <message>
        <source>GPU Deck</source>
        <translation>GPU Deck</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPUs</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>&amp;Verbindungen</translation>
    </message>
    <message>
        <source>&amp;API</source>
        <translation>&amp;API</translation>
    </message>
    <message>
        <source>Copy API &amp;address</source>
        <translation>API-&amp;Adresse kopieren</translation>
    </message>
    <message>
        <source>API address copied to the clipboard</source>
        <translation>API-Adresse in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>Copy API &amp;token</source>
        <translation>API-&amp;Token kopieren</translation>
    </message>
    <message>
        <source>Copies the token agents need for the local API, without showing it.</source>
        <translation>Kopiert das Token, das Agenten für die lokale API brauchen, ohne es anzuzeigen.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About GPU Deck</source>
        <translation>Ü&amp;ber GPU Deck</translation>
    </message>
    <message>
        <source>About GPU Deck</source>
        <translation>Über GPU Deck</translation>
    </message>
    <message>
        <source>API not running</source>
        <translation>API läuft nicht</translation>
    </message>
    <message>
        <source>API on %1</source>
        <translation>API auf %1</translation>
    </message>
    <message>
        <source>Copy token</source>
        <translation>Token kopieren</translation>
    </message>
    <message>
        <source>Copy the API token to the clipboard</source>
        <translation>Das API-Token in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>API token copied to the clipboard</source>
        <translation>API-Token in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>GPU Deck is still running</source>
        <translation>GPU Deck läuft weiter</translation>
    </message>
    <message>
        <source>Monitoring and the API keep running. Quit from the tray menu.</source>
        <translation>Überwachung und API laufen weiter. Beenden über das Menü im Infobereich.</translation>
    </message>
    <message>
        <source>&amp;Monitoring</source>
        <translation>Über&amp;wachung</translation>
    </message>
    <message>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>Bericht e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Saves the status report (what needs attention, the fleet, the last 24 hours) as Markdown, HTML or JSON.</source>
        <translation>Speichert den Statusbericht (was Aufmerksamkeit braucht, die Flotte, die letzten 24 Stunden) als Markdown, HTML oder JSON.</translation>
    </message>
    <message>
        <source>Report &amp;schedule…</source>
        <translation>Bericht&amp;zeitplan…</translation>
    </message>
    <message>
        <source>Report schedule saved</source>
        <translation>Berichtszeitplan gespeichert</translation>
    </message>
    <message>
        <source>Copy &amp;Claude Code command</source>
        <translation>&amp;Claude-Code-Befehl kopieren</translation>
    </message>
    <message>
        <source>Copies the &apos;claude mcp add&apos; command that gives Claude Code GPU Deck&apos;s MCP tools (it contains the token, which is not shown).</source>
        <translation>Kopiert den Befehl „claude mcp add“, der Claude Code die MCP-Werkzeuge von GPU Deck gibt (er enthält das Token, das nicht angezeigt wird).</translation>
    </message>
    <message>
        <source>&lt;b&gt;GPU Deck %1&lt;/b&gt;&lt;p&gt;A command center for your GPU machines: a window and tray icon for people, a local REST API for agents, both over the same core.&lt;/p&gt;&lt;p&gt;Instance id: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Every name this install creates on a host and every secret it keeps carries this id.&lt;/p&gt;</source>
        <translation>&lt;b&gt;GPU Deck %1&lt;/b&gt;&lt;p&gt;Eine Kommandozentrale für Ihre GPU-Maschinen: ein Fenster und ein Symbol im Infobereich für Menschen, eine lokale REST-API für Agenten, beide auf demselben Kern.&lt;/p&gt;&lt;p&gt;Instanz-ID: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Jeder Name, den diese Installation auf einem Host anlegt, und jedes Geheimnis, das sie aufbewahrt, trägt diese ID.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Claude Code command copied to the clipboard: run it in a terminal</source>
        <translation>Claude-Code-Befehl in die Zwischenablage kopiert: Führen Sie ihn in einem Terminal aus</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>An&amp;sicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Reads what the pane shows again now</source>
        <translation>Liest jetzt neu ein, was der Bereich zeigt</translation>
    </message>
    <message>
        <source>&amp;New in this pane</source>
        <translation>&amp;Neu in diesem Bereich</translation>
    </message>
    <message>
        <source>A new connection in Connections and Fleet, a new job (or project) in Jobs</source>
        <translation>Eine neue Verbindung in „Verbindungen“ und „Flotte“, ein neuer Job (oder ein Projekt) in „Jobs“</translation>
    </message>
    <message>
        <source>Refreshed</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Preferences saved</source>
        <translation>Einstellungen gespeichert</translation>
    </message>
</context>
<context>
    <name>gpudeck::MetricChart</name>
    <message>
        <source>GPU %1: %2</source>
        <translation>GPU %1: %2</translation>
    </message>
</context>
<context>
    <name>gpudeck::ModelLogDialog</name>
    <message>
        <source>Log of %1 on %2</source>
        <translation>Log von %1 auf %2</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <source>Following the log of %1 on %2…</source>
        <translation>Das Log von %1 auf %2 wird verfolgt …</translation>
    </message>
    <message>
        <source>Stopped. Follow shows the log again.</source>
        <translation>Angehalten. „Verfolgen“ zeigt das Log wieder an.</translation>
    </message>
    <message>
        <source>The log command ended.</source>
        <translation>Der Log-Befehl hat sich beendet.</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Verfolgen</translation>
    </message>
    <message>
        <source>Stop following (the command on the host ends when no one else follows this log)</source>
        <translation>Nicht mehr verfolgen (der Befehl auf dem Host endet, wenn niemand sonst dieses Log verfolgt)</translation>
    </message>
    <message>
        <source>Follow the log again</source>
        <translation>Das Log wieder verfolgen</translation>
    </message>
    <message>
        <source>%1 (head)</source>
        <translation>%1 (Head)</translation>
    </message>
    <message>
        <source>%1 (worker)</source>
        <translation>%1 (Worker)</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
</context>
<context>
    <name>gpudeck::ModelsPane</name>
    <message>
        <source>Up</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>&amp;Reload models.yaml</source>
        <translation>models.yaml &amp;neu laden</translation>
    </message>
    <message>
        <source>Re&amp;fresh status</source>
        <translation>Status &amp;aktualisieren</translation>
    </message>
    <message>
        <source>Read models.yaml again (it is also re-read when it changes)</source>
        <translation>models.yaml erneut lesen (das geschieht auch, wenn sie sich ändert)</translation>
    </message>
    <message>
        <source>Ask every host which model it serves, and check the services, now</source>
        <translation>Jetzt jeden Host fragen, welches Modell er bereitstellt, und die Dienste prüfen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>Bereitgestellt</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>Swap on %1: %2</source>
        <translation>Wechsel auf %1: %2</translation>
    </message>
    <message>
        <source>Cancel swap</source>
        <translation>Wechsel abbrechen</translation>
    </message>
    <message>
        <source>Asking the hosts which models they serve…</source>
        <translation>Frage die Hosts, welche Modelle sie bereitstellen…</translation>
    </message>
    <message>
        <source>No models yet: describe what each host can serve in %1 (see models.example.yaml).</source>
        <translation>Noch keine Modelle: Beschreiben Sie in %1, was jeder Host bereitstellen kann (siehe models.example.yaml).</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>Aus %1</translation>
    </message>
    <message>
        <source>Also answers to: %1</source>
        <translation>Antwortet auch auf: %1</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>Wechseln</translation>
    </message>
    <message>
        <source>Serve %1 on %2 (asks first)</source>
        <translation>%1 auf %2 bereitstellen (fragt vorher)</translation>
    </message>
    <message>
        <source>models.yaml has problems:</source>
        <translation>models.yaml hat Probleme:</translation>
    </message>
    <message>
        <source>The last good version below stays in use until it is fixed.</source>
        <translation>Die letzte gültige Fassung unten bleibt in Gebrauch, bis das behoben ist.</translation>
    </message>
    <message>
        <source>Nothing is in use until it is fixed.</source>
        <translation>Nichts ist in Gebrauch, bis das behoben ist.</translation>
    </message>
    <message>
        <source>Swapping…</source>
        <translation>Wechsle…</translation>
    </message>
    <message>
        <source>Serving %1 (%2)</source>
        <translation>Stellt %1 bereit (%2)</translation>
    </message>
    <message>
        <source>Nothing served</source>
        <translation>Nichts bereitgestellt</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Serve %1 on %2? Nothing is known to be running there, so nothing is stopped.</source>
        <translation>%1 auf %2 bereitstellen? Dort läuft bekanntlich nichts, also wird nichts gestoppt.</translation>
    </message>
    <message>
        <source>Serve %1 on %2?

This stops %3 first. If %1 does not come up, %3 is started again.</source>
        <translation>%1 auf %2 bereitstellen?

Das stoppt zuerst %3. Wenn %1 nicht hochkommt, wird %3 wieder gestartet.</translation>
    </message>
    <message>
        <source>Swap model</source>
        <translation>Modell wechseln</translation>
    </message>
    <message>
        <source>Traffic (proxy)</source>
        <translation>Verkehr (Proxy)</translation>
    </message>
    <message>
        <source>Requests and tokens per second over the last minute, latency (median and 95th percentile) and errors over the last hour, as the proxy saw them</source>
        <translation>Anfragen und Tokens pro Sekunde in der letzten Minute, Latenz (Median und 95. Perzentil) und Fehler in der letzten Stunde, wie der Proxy sie gesehen hat</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>No requests through the proxy in the last hour</source>
        <translation>Keine Anfragen über den Proxy in der letzten Stunde</translation>
    </message>
    <message>
        <source>%1 req/s</source>
        <translation>%1 Anfr./s</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 Tok./s</translation>
    </message>
    <message>
        <source>p50 %1 · p95 %2</source>
        <translation>p50 %1 · p95 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n Fehler</numerusform>
            <numerusform>%n Fehler</numerusform>
        </translation>
    </message>
    <message>
        <source>Last hour: %1 requests, %2 errors, %3 tokens; %4 in flight now</source>
        <translation>Letzte Stunde: %1 Anfragen, %2 Fehler, %3 Tokens; %4 gerade in Bearbeitung</translation>
    </message>
    <message>
        <source>Served together: a swap to a model here stops and starts it on every one of these hosts</source>
        <translation>Gemeinsam bereitgestellt: ein Wechsel zu einem Modell hier stoppt und startet es auf jedem dieser Hosts</translation>
    </message>
    <message>
        <source>Not serving</source>
        <translation>Stellt nichts bereit</translation>
    </message>
    <message>
        <source>Part of %1 (%2)</source>
        <translation>Teil von %1 (%2)</translation>
    </message>
    <message>
        <source>%1 is part of %2, which runs across %3: serving %4 on %1 alone is refused, since it would break %2.

Stop %2 on %3 and serve %4 on %1? If %4 does not come up, %2 is started again.</source>
        <translation>%1 ist Teil von %2, das über %3 läuft: %4 allein auf %1 bereitzustellen wird abgelehnt, weil es %2 zerstören würde.

%2 auf %3 stoppen und %4 auf %1 bereitstellen? Wenn %4 nicht hochkommt, wird %2 wieder gestartet.</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>No log to follow: give %1 a logs_follow command in models.yaml (e.g. `docker logs -f --tail 200 vllm`)</source>
        <translation>Kein Log zum Verfolgen: Geben Sie %1 in models.yaml einen logs_follow-Befehl (z. B. `docker logs -f --tail 200 vllm`)</translation>
    </message>
    <message>
        <source>Follow the log of %1 on %2 (%3)</source>
        <translation>Das Log von %1 auf %2 verfolgen (%3)</translation>
    </message>
    <message>
        <source>Stop and swap</source>
        <translation>Stoppen und wechseln</translation>
    </message>
    <message>
        <source>Follow the log of %1 on one of its hosts: %2</source>
        <translation>Das Log von %1 auf einem seiner Hosts verfolgen: %2</translation>
    </message>
    <message>
        <source>By the fit check, %1 does not fit on %2: %3.

Swap anyway? It may fail to start, or push other processes out of memory.</source>
        <translation>Laut Speicherprüfung passt %1 nicht auf %2: %3.

Trotzdem wechseln? Das Modell startet dann womöglich nicht, oder es drängt andere Prozesse aus dem Speicher.</translation>
    </message>
    <message>
        <source>Swap anyway</source>
        <translation>Trotzdem wechseln</translation>
    </message>
</context>
<context>
    <name>gpudeck::PodCreateDialog</name>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 · %2 · not in this cloud</source>
        <translation>%1 · %2 · nicht in dieser Cloud</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 per GPU</source>
        <translation>%1 · %2 · %3 je GPU</translation>
    </message>
    <message>
        <source>Create a RunPod pod</source>
        <translation>RunPod-Pod anlegen</translation>
    </message>
    <message>
        <source>e.g. train-llm</source>
        <translation>z. B. train-llm</translation>
    </message>
    <message>
        <source>Its connection gets this name too.</source>
        <translation>Seine Verbindung bekommt ebenfalls diesen Namen.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Secure cloud (RunPod&apos;s data centres)</source>
        <translation>Secure Cloud (Rechenzentren von RunPod)</translation>
    </message>
    <message>
        <source>Community cloud (cheaper, community hosts)</source>
        <translation>Community Cloud (günstiger, Hosts aus der Community)</translation>
    </message>
    <message>
        <source>C&amp;loud:</source>
        <translation>C&amp;loud:</translation>
    </message>
    <message>
        <source>Reading RunPod&apos;s GPU types…</source>
        <translation>Lese die GPU-Typen von RunPod…</translation>
    </message>
    <message>
        <source>&amp;GPU type:</source>
        <translation>&amp;GPU-Typ:</translation>
    </message>
    <message>
        <source>GPU &amp;count:</source>
        <translation>GPU-An&amp;zahl:</translation>
    </message>
    <message>
        <source>The image must start sshd from PUBLIC_KEY (RunPod&apos;s official images do) for the pod to become a connection.</source>
        <translation>Das Image muss sshd mit PUBLIC_KEY starten (die offiziellen Images von RunPod tun das), damit der Pod eine Verbindung werden kann.</translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation>&amp;Image:</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <source>The container disk: wiped when the pod stops or restarts.</source>
        <translation>Der Container-Datenträger: wird gelöscht, wenn der Pod stoppt oder neu startet.</translation>
    </message>
    <message>
        <source>Container &amp;disk:</source>
        <translation>Container-&amp;Datenträger:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>Mounted at /workspace: kept while the pod is stopped (and billed), deleted when it is terminated. At least %1 GB, or none.</source>
        <translation>Unter /workspace eingehängt: bleibt erhalten, solange der Pod gestoppt ist (und wird berechnet), wird gelöscht, wenn er beendet wird. Mindestens %1 GB oder keins.</translation>
    </message>
    <message>
        <source>&amp;Volume (/workspace):</source>
        <translation>&amp;Volume (/workspace):</translation>
    </message>
    <message>
        <source>One per line: NAME=value</source>
        <translation>Eine Zeile je Variable: NAME=Wert</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Umgebung:</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>GPU types could not be read</source>
        <translation>GPU-Typen konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Cannot read RunPod&apos;s GPU types: %1</source>
        <translation>Die GPU-Typen von RunPod können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Environment, line %1: write NAME=value (a name of letters, digits and _)</source>
        <translation>Umgebung, Zeile %1: Schreiben Sie NAME=Wert (ein Name aus Buchstaben, Ziffern und _)</translation>
    </message>
    <message>
        <source>Give the pod a name</source>
        <translation>Geben Sie dem Pod einen Namen</translation>
    </message>
    <message>
        <source>Choose a GPU type</source>
        <translation>Wählen Sie einen GPU-Typ</translation>
    </message>
    <message>
        <source>Waiting for RunPod&apos;s GPU types</source>
        <translation>Warte auf die GPU-Typen von RunPod</translation>
    </message>
    <message>
        <source>%1 is not offered in this cloud</source>
        <translation>%1 wird in dieser Cloud nicht angeboten</translation>
    </message>
    <message>
        <source>A volume is at least %1 GB (or none)</source>
        <translation>Ein Volume hat mindestens %1 GB (oder keins)</translation>
    </message>
    <message>
        <source>Cost: %1 × %2 = %3 while it runs (GPUs; the volume is billed also while it is stopped).</source>
        <translation>Kosten: %1 × %2 = %3, solange er läuft (GPUs; das Volume wird auch berechnet, solange er gestoppt ist).</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Lege an…</translation>
    </message>
    <message>
        <source>Create — %1</source>
        <translation>Anlegen — %1</translation>
    </message>
    <message>
        <source>Choose a GPU type to see the cost.</source>
        <translation>Wählen Sie einen GPU-Typ, um die Kosten zu sehen.</translation>
    </message>
    <message>
        <source>Reading prices…</source>
        <translation>Lese Preise…</translation>
    </message>
</context>
<context>
    <name>gpudeck::PodsModel</name>
    <message>
        <source>Provisioning</source>
        <translation>Wird bereitgestellt</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1/h</source>
        <translation>%1/h</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
    <message>
        <source>%1
Pod id: %2
Image: %3</source>
        <translation>%1
Pod-ID: %2
Image: %3</translation>
    </message>
    <message>
        <source>What RunPod bills for this pod now, per hour (nothing while it is stopped but its volume).</source>
        <translation>Was RunPod für diesen Pod jetzt pro Stunde berechnet (solange er gestoppt ist, nur sein Volume).</translation>
    </message>
    <message>
        <source>Its rate times the time since it last started: what this run has cost so far.</source>
        <translation>Sein Stundensatz mal die Zeit seit dem letzten Start: was dieser Lauf bisher gekostet hat.</translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation>Verbindung %1</translation>
    </message>
    <message>
        <source>Becomes a connection once it runs with SSH</source>
        <translation>Wird eine Verbindung, sobald er mit SSH läuft</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>Secure</source>
        <translation>Secure</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Pod</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Cost so far</source>
        <translation>Kosten bisher</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>What GPU Deck does to this pod when a job running on it ends (the job&apos;s &quot;When it ends&quot;), after the grace set in Monitoring settings.</source>
        <translation>Was GPU Deck mit diesem Pod tut, wenn ein darauf laufender Job endet (das „Bei Ende“ des Jobs), nach der Frist aus den Überwachungseinstellungen.</translation>
    </message>
    <message>
        <source>When its job ends</source>
        <translation>Wenn sein Job endet</translation>
    </message>
</context>
<context>
    <name>gpudeck::PodsSection</name>
    <message>
        <source>RunPod pods</source>
        <translation>RunPod-Pods</translation>
    </message>
    <message>
        <source>not set up: with an API key GPU Deck lists your pods here, creates, stops and terminates them, and turns each running pod into a connection.</source>
        <translation>nicht eingerichtet: Mit einem API-Schlüssel listet GPU Deck hier Ihre Pods auf, legt sie an, stoppt und beendet sie und macht jeden laufenden Pod zu einer Verbindung.</translation>
    </message>
    <message>
        <source>Set API key…</source>
        <translation>API-Schlüssel festlegen…</translation>
    </message>
    <message>
        <source>Create pod…</source>
        <translation>Pod anlegen…</translation>
    </message>
    <message>
        <source>API key…</source>
        <translation>API-Schlüssel…</translation>
    </message>
    <message>
        <source>Terminate…</source>
        <translation>Beenden…</translation>
    </message>
    <message>
        <source>No pods. Create one: it shows here, and once it runs it becomes a connection named after it.</source>
        <translation>Keine Pods. Legen Sie einen an: Er erscheint hier und wird, sobald er läuft, eine Verbindung mit seinem Namen.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Terminate</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Cannot read the pods: %1</source>
        <translation>Die Pods können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The last read of the pods failed: %1 (shown: what was read before)</source>
        <translation>Das letzte Lesen der Pods ist fehlgeschlagen: %1 (angezeigt: was vorher gelesen wurde)</translation>
    </message>
    <message>
        <source>%1 of %2 running</source>
        <translation>%1 von %2 laufen</translation>
    </message>
    <message>
        <source>%1 in all</source>
        <translation>%1 insgesamt</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>lese…</translation>
    </message>
    <message>
        <source>key from RUNPOD_API_KEY</source>
        <translation>Schlüssel aus RUNPOD_API_KEY</translation>
    </message>
    <message>
        <source>key in the keychain</source>
        <translation>Schlüssel im Schlüsselbund</translation>
    </message>
    <message>
        <source>Terminate pod %1 (%2)?

Terminating deletes the pod for good: its container disk AND its volume (/workspace) are erased, with every checkpoint and result on them, and its connection stops working. Copy what you need off it first. This cannot be undone.</source>
        <translation>Pod %1 (%2) beenden?

Beenden löscht den Pod endgültig: Sein Container-Datenträger UND sein Volume (/workspace) werden gelöscht, mit jedem Checkpoint und Ergebnis darauf, und seine Verbindung funktioniert nicht mehr. Kopieren Sie vorher, was Sie brauchen. Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Terminate %1</source>
        <translation>%1 beenden</translation>
    </message>
    <message>
        <source>at its GPUs&apos; rate</source>
        <translation>zum Stundensatz seiner GPUs</translation>
    </message>
    <message>
        <source>Start pod %1 (%2)?

It is billed (%3) from now until it is stopped. It gets a new SSH port and host key; its connection follows.</source>
        <translation>Pod %1 (%2) starten?

Er wird ab jetzt berechnet (%3), bis er gestoppt wird. Er bekommt einen neuen SSH-Port und Host-Schlüssel; seine Verbindung folgt.</translation>
    </message>
    <message>
        <source>Stop pod %1 (%2)?

Whatever runs in it stops and its container disk is wiped; its volume (/workspace) is kept and billed while stopped. The GPUs are billed no more.</source>
        <translation>Pod %1 (%2) stoppen?

Was darin läuft, stoppt, und sein Container-Datenträger wird gelöscht; sein Volume (/workspace) bleibt erhalten und wird berechnet, solange er gestoppt ist. Die GPUs werden nicht mehr berechnet.</translation>
    </message>
    <message>
        <source>Restart pod %1 (%2)?

Whatever runs in it stops and starts again; its container disk is wiped, its volume (/workspace) kept. Its SSH port and host key change; its connection follows.</source>
        <translation>Pod %1 (%2) neu starten?

Was darin läuft, stoppt und startet neu; sein Container-Datenträger wird gelöscht, sein Volume (/workspace) bleibt. Sein SSH-Port und Host-Schlüssel ändern sich; seine Verbindung folgt.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2: asking RunPod…</source>
        <translation>%1 %2: frage RunPod…</translation>
    </message>
    <message>
        <source>%1 %2: done</source>
        <translation>%1 %2: erledigt</translation>
    </message>
    <message>
        <source>%1 %2 failed: %3</source>
        <translation>%1 %2 fehlgeschlagen: %3</translation>
    </message>
    <message>
        <source>idle pod alert after %1</source>
        <translation>Leerlaufalarm nach %1</translation>
    </message>
    <message>
        <source>idle pod alert off</source>
        <translation>Leerlaufalarm aus</translation>
    </message>
</context>
<context>
    <name>gpudeck::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Start-up</source>
        <translation>Programmstart</translation>
    </message>
    <message>
        <source>Start GPU Deck at &amp;login (in the tray)</source>
        <translation>GPU Deck bei der &amp;Anmeldung starten (im Infobereich)</translation>
    </message>
    <message>
        <source>Adds GPU Deck to your desktop&apos;s start-up applications (%1).</source>
        <translation>Trägt GPU Deck in die Autostart-Programme Ihrer Arbeitsumgebung ein (%1).</translation>
    </message>
    <message>
        <source>Start &amp;minimised to the tray</source>
        <translation>&amp;Minimiert im Infobereich starten</translation>
    </message>
    <message>
        <source>Every start keeps the window hidden; the tray icon shows it.</source>
        <translation>Bei jedem Start bleibt das Fenster verborgen; das Symbol im Infobereich zeigt es an.</translation>
    </message>
    <message>
        <source>Every start keeps the window minimised (this desktop shows no tray icons).</source>
        <translation>Bei jedem Start bleibt das Fenster minimiert (diese Arbeitsumgebung zeigt keine Symbole im Infobereich).</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>System (%1)</source>
        <translation>System (%1)</translation>
    </message>
    <message>
        <source>Applies the next time GPU Deck starts.</source>
        <translation>Gilt ab dem nächsten Start von GPU Deck.</translation>
    </message>
</context>
<context>
    <name>gpudeck::ProjectDialog</name>
    <message>
        <source>tmux session on the host</source>
        <translation>tmux-Sitzung auf dem Host</translation>
    </message>
    <message>
        <source>Slurm batch job</source>
        <translation>Slurm-Batch-Job</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Edit project %1</source>
        <translation>Projekt %1 bearbeiten</translation>
    </message>
    <message>
        <source>Create the folder on the host if it is missing</source>
        <translation>Den Ordner auf dem Host anlegen, falls er fehlt</translation>
    </message>
    <message>
        <source>No local folder: Sync is off for this project.</source>
        <translation>Kein lokaler Ordner: Synchronisieren ist für dieses Projekt aus.</translation>
    </message>
    <message>
        <source>Give the folder&apos;s absolute path.</source>
        <translation>Geben Sie den absoluten Pfad des Ordners an.</translation>
    </message>
    <message>
        <source>A git work tree: Sync sends the files git tracks there (git ls-files), never untracked or ignored ones.</source>
        <translation>Ein Git-Arbeitsbaum: Synchronisieren sendet die Dateien, die Git dort verfolgt (git ls-files), nie unverfolgte oder ignorierte.</translation>
    </message>
    <message>
        <source>Local folder of %1</source>
        <translation>Lokaler Ordner von %1</translation>
    </message>
    <message>
        <source>Extra files to send (mode 0600)</source>
        <translation>Zusätzlich zu sendende Dateien (Modus 0600)</translation>
    </message>
    <message>
        <source>%1 (in the local folder)</source>
        <translation>%1 (im lokalen Ordner)</translation>
    </message>
</context>
<context>
    <name>gpudeck::ProjectsModel</name>
    <message>
        <source>Remote path: %1</source>
        <translation>Pfad auf dem Host: %1</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>gpudeck::ProxmoxGuestsModel</name>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
    <message>
        <source>%1 (template)</source>
        <translation>%1 (Vorlage)</translation>
    </message>
    <message>
        <source>%1 (locked: %2)</source>
        <translation>%1 (gesperrt: %2)</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
</context>
<context>
    <name>gpudeck::ProxmoxNodeTile</name>
    <message>
        <source>%1
%2 CPUs, %3 GiB memory%4</source>
        <translation>%1
%2 CPUs, %3 GiB Speicher%4</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>
The node GPU Deck reads the cluster through</source>
        <translation>
Der Knoten, über den GPU Deck den Cluster liest</translation>
    </message>
    <message>
        <source>Node %1, %2</source>
        <translation>Knoten %1, %2</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>RAM %1/%2G</source>
        <translation>RAM %1/%2G</translation>
    </message>
    <message>
        <source>up %1</source>
        <translation>Laufzeit %1</translation>
    </message>
</context>
<context>
    <name>gpudeck::ProxmoxSection</name>
    <message>
        <source>Check the certificate…</source>
        <translation>Zertifikat prüfen…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Shut down</source>
        <translation>Herunterfahren</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Reboot</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Cluster %1</source>
        <translation>Cluster %1</translation>
    </message>
    <message>
        <source>Proxmox %1</source>
        <translation>Proxmox %1</translation>
    </message>
    <message>
        <source>not read yet</source>
        <translation>noch nicht gelesen</translation>
    </message>
    <message>
        <source>Quorate</source>
        <translation>Quorum erreicht</translation>
    </message>
    <message>
        <source>NO QUORUM</source>
        <translation>KEIN QUORUM</translation>
    </message>
    <message>
        <source>%1 of %2 nodes online</source>
        <translation>%1 von %2 Knoten online</translation>
    </message>
    <message>
        <source>votes %1 of %2</source>
        <translation>Stimmen %1 von %2</translation>
    </message>
    <message>
        <source>%1 votes expected</source>
        <translation>%1 Stimmen erwartet</translation>
    </message>
    <message>
        <source>%1 of %2 guests running</source>
        <translation>%1 von %2 Gästen laufen</translation>
    </message>
    <message>
        <source>via pvesh over SSH</source>
        <translation>über pvesh per SSH</translation>
    </message>
    <message>
        <source>via the API</source>
        <translation>über die API</translation>
    </message>
    <message>
        <source>read %1</source>
        <translation>gelesen um %1</translation>
    </message>
    <message>
        <source>The last read failed: %1 (shown: what was read at %2)</source>
        <translation>Das letzte Lesen ist fehlgeschlagen: %1 (angezeigt: was um %2 gelesen wurde)</translation>
    </message>
    <message>
        <source>Cannot read the cluster: %1</source>
        <translation>Der Cluster kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Start %1 %2 on %3?</source>
        <translation>%1 %2 auf %3 starten?</translation>
    </message>
    <message>
        <source>Shut down %1 %2 on %3?

Its operating system is asked to shut down cleanly; whatever runs in it stops.</source>
        <translation>%1 %2 auf %3 herunterfahren?

Sein Betriebssystem wird gebeten, sauber herunterzufahren; was darin läuft, stoppt.</translation>
    </message>
    <message>
        <source>Stop %1 %2 on %3 now?

This is pulling the plug: unsaved work in it is lost and its disks may need checking.</source>
        <translation>%1 %2 auf %3 jetzt stoppen?

Das ist wie Stecker ziehen: Ungespeicherte Arbeit darin geht verloren, und seine Datenträger müssen eventuell geprüft werden.</translation>
    </message>
    <message>
        <source>Reboot %1 %2 on %3?

Whatever runs in it stops and starts again.</source>
        <translation>%1 %2 auf %3 neu starten?

Was darin läuft, stoppt und startet neu.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2: asking Proxmox…</source>
        <translation>%1 %2: frage Proxmox…</translation>
    </message>
    <message>
        <source>The Proxmox node of %1 now presents ANOTHER certificate than the one trusted before.

This happens when the node&apos;s certificate was renewed, or when someone is between you and the node. Trust the new one only if you know it was renewed and its SHA-256 fingerprint, shown on the node (Datacenter → node → System → Certificates), is:

%2</source>
        <translation>Der Proxmox-Knoten von %1 zeigt jetzt ein ANDERES Zertifikat als das bisher vertraute.

Das passiert, wenn das Zertifikat des Knotens erneuert wurde oder wenn sich jemand zwischen Sie und den Knoten geschaltet hat. Vertrauen Sie dem neuen nur, wenn Sie wissen, dass es erneuert wurde, und sein SHA-256-Fingerabdruck, den der Knoten zeigt (Rechenzentrum → Knoten → System → Zertifikate), dieser ist:

%2</translation>
    </message>
    <message>
        <source>The Proxmox node of %1 presents a certificate GPU Deck has not seen before.

Compare its SHA-256 fingerprint with the one the node shows (Datacenter → node → System → Certificates) before trusting it:

%2</source>
        <translation>Der Proxmox-Knoten von %1 zeigt ein Zertifikat, das GPU Deck noch nicht kennt.

Vergleichen Sie seinen SHA-256-Fingerabdruck mit dem, den der Knoten zeigt (Rechenzentrum → Knoten → System → Zertifikate), bevor Sie ihm vertrauen:

%2</translation>
    </message>
    <message>
        <source>Certificate changed</source>
        <translation>Zertifikat geändert</translation>
    </message>
    <message>
        <source>New certificate</source>
        <translation>Neues Zertifikat</translation>
    </message>
    <message>
        <source>Trust the new certificate</source>
        <translation>Dem neuen Zertifikat vertrauen</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <source>%1 %2: task running on %3 (%4 s)</source>
        <translation>%1 %2: Aufgabe läuft auf %3 (%4 s)</translation>
    </message>
    <message>
        <source>%1 %2: task running on %3</source>
        <translation>%1 %2: Aufgabe läuft auf %3</translation>
    </message>
    <message>
        <source>%1 %2: done (OK)</source>
        <translation>%1 %2: erledigt (OK)</translation>
    </message>
    <message>
        <source>%1 %2 failed: %3</source>
        <translation>%1 %2 fehlgeschlagen: %3</translation>
    </message>
</context>
<context>
    <name>gpudeck::PullDialog</name>
    <message>
        <source>Pull from %1</source>
        <translation>Von %1 zurückholen</translation>
    </message>
    <message>
        <source>Copy files or folders from %1 to this computer. Name them one a line, relative to the project&apos;s remote path (%2) or absolute; each lands under its own name in the local folder.</source>
        <translation>Dateien oder Ordner von %1 auf diesen Computer kopieren. Nennen Sie sie einzeln je Zeile, relativ zum Pfad des Projekts auf dem Host (%2) oder absolut; jede landet unter ihrem eigenen Namen im lokalen Ordner.</translation>
    </message>
    <message>
        <source>the login folder</source>
        <translation>der Anmeldeordner</translation>
    </message>
    <message>
        <source>runs/7/logs
checkpoints/last.pt</source>
        <translation>runs/7/logs
checkpoints/last.pt</translation>
    </message>
    <message>
        <source>A folder on this computer (created if missing)</source>
        <translation>Ein Ordner auf diesem Computer (wird angelegt, falls er fehlt)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Remote paths:</source>
        <translation>&amp;Entfernte Pfade:</translation>
    </message>
    <message>
        <source>&amp;Into folder:</source>
        <translation>&amp;In den Ordner:</translation>
    </message>
    <message>
        <source>&amp;Pull</source>
        <translation>&amp;Zurückholen</translation>
    </message>
    <message>
        <source>Pull into</source>
        <translation>Zurückholen nach</translation>
    </message>
    <message>
        <source>Name at least one remote path.</source>
        <translation>Nennen Sie mindestens einen entfernten Pfad.</translation>
    </message>
    <message>
        <source>Give the local folder&apos;s absolute path.</source>
        <translation>Geben Sie den absoluten Pfad des lokalen Ordners an.</translation>
    </message>
</context>
<context>
    <name>gpudeck::ReportExport</name>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>HTML page (*.html)</source>
        <translation>HTML-Seite (*.html)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>Schreibe den Bericht nach %1…</translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation>Der Bericht konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>The report could not be written.

%1</source>
        <translation>Der Bericht konnte nicht geschrieben werden.

%1</translation>
    </message>
    <message>
        <source>Report saved to %1</source>
        <translation>Bericht in %1 gespeichert</translation>
    </message>
</context>
<context>
    <name>gpudeck::ReportScheduleDialog</name>
    <message>
        <source>Report schedule</source>
        <translation>Berichtszeitplan</translation>
    </message>
    <message>
        <source>Once a day GPU Deck can write its status report (what needs attention, the fleet, the last 24 hours) to a folder, e.g. one your mail or sync tool picks up.</source>
        <translation>Einmal am Tag kann GPU Deck seinen Statusbericht (was Aufmerksamkeit braucht, die Flotte, die letzten 24 Stunden) in einen Ordner schreiben, z. B. einen, den Ihr Mail- oder Sync-Programm abholt.</translation>
    </message>
    <message>
        <source>Write the report every day</source>
        <translation>Den Bericht jeden Tag schreiben</translation>
    </message>
    <message>
        <source>an absolute path, created when missing</source>
        <translation>ein absoluter Pfad, wird angelegt, falls er fehlt</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Markdown (.md)</source>
        <translation>Markdown (.md)</translation>
    </message>
    <message>
        <source>HTML page (.html)</source>
        <translation>HTML-Seite (.html)</translation>
    </message>
    <message>
        <source>JSON (.json)</source>
        <translation>JSON (.json)</translation>
    </message>
    <message>
        <source>At (local time):</source>
        <translation>Um (Ortszeit):</translation>
    </message>
    <message>
        <source>Into the folder:</source>
        <translation>In den Ordner:</translation>
    </message>
    <message>
        <source>As:</source>
        <translation>Als:</translation>
    </message>
    <message>
        <source>Last:</source>
        <translation>Zuletzt:</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>not written yet</source>
        <translation>noch nicht geschrieben</translation>
    </message>
    <message>
        <source>Folder for the daily report</source>
        <translation>Ordner für den täglichen Bericht</translation>
    </message>
</context>
<context>
    <name>gpudeck::RunPodKeyDialog</name>
    <message>
        <source>RunPod API key</source>
        <translation>RunPod-API-Schlüssel</translation>
    </message>
    <message>
        <source>In the keychain:</source>
        <translation>Im Schlüsselbund:</translation>
    </message>
    <message>
        <source>Paste a new key</source>
        <translation>Neuen Schlüssel einfügen</translation>
    </message>
    <message>
        <source>&amp;New key:</source>
        <translation>&amp;Neuer Schlüssel:</translation>
    </message>
    <message>
        <source>Make one at runpod.io → Settings → API Keys (read/write, to create and stop pods). GPU Deck checks it with RunPod, keeps it in the system keychain and never shows it again: not in its database, its logs or its API.</source>
        <translation>Legen Sie einen unter runpod.io → Settings → API Keys an (Lesen/Schreiben, um Pods anzulegen und zu stoppen). GPU Deck prüft ihn bei RunPod, speichert ihn im Schlüsselbund des Systems und zeigt ihn nie wieder: nicht in seiner Datenbank, seinen Logs oder seiner API.</translation>
    </message>
    <message>
        <source>RUNPOD_API_KEY is set in GPU Deck&apos;s environment: that key is the one used. A key saved here is used once GPU Deck runs without it.</source>
        <translation>RUNPOD_API_KEY ist in der Umgebung von GPU Deck gesetzt: Dieser Schlüssel wird verwendet. Ein hier gespeicherter Schlüssel wird verwendet, sobald GPU Deck ohne ihn läuft.</translation>
    </message>
    <message>
        <source>&amp;Remove key…</source>
        <translation>Schlüssel &amp;entfernen…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>unknown: the keychain could not be read (%1)</source>
        <translation>unbekannt: Der Schlüsselbund konnte nicht gelesen werden (%1)</translation>
    </message>
    <message>
        <source>a key is set</source>
        <translation>ein Schlüssel ist gesetzt</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>Checking the key with RunPod…</source>
        <translation>Prüfe den Schlüssel bei RunPod…</translation>
    </message>
    <message>
        <source>Remove the RunPod API key from the keychain?

RUNPOD_API_KEY stays in use while it is set.</source>
        <translation>Den RunPod-API-Schlüssel aus dem Schlüsselbund entfernen?

RUNPOD_API_KEY bleibt in Gebrauch, solange es gesetzt ist.</translation>
    </message>
    <message>
        <source>Remove the RunPod API key from the keychain?

GPU Deck then no longer lists, creates or stops pods (your pods keep running and billing) until a key is set again.</source>
        <translation>Den RunPod-API-Schlüssel aus dem Schlüsselbund entfernen?

GPU Deck listet, erstellt und stoppt dann keine Pods mehr (Ihre Pods laufen weiter und kosten weiter), bis wieder ein Schlüssel gesetzt ist.</translation>
    </message>
    <message>
        <source>Remove the RunPod API key</source>
        <translation>Den RunPod-API-Schlüssel entfernen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Removing…</source>
        <translation>Entferne…</translation>
    </message>
</context>
<context>
    <name>gpudeck::SshImportDialog</name>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Choose an SSH config file</source>
        <translation>SSH-Konfigurationsdatei wählen</translation>
    </message>
    <message>
        <source>(your user name)</source>
        <translation>(Ihr Benutzername)</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importiert</translation>
    </message>
    <message>
        <source>No Host entries in %1.</source>
        <translation>Keine Host-Einträge in %1.</translation>
    </message>
    <message>
        <source>Notes from reading the file:</source>
        <translation>Hinweise beim Lesen der Datei:</translation>
    </message>
    <message>
        <source>Check at least one host to import.</source>
        <translation>Wählen Sie mindestens einen Host zum Importieren.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No connection was created.</source>
        <translation>Es wurde keine Verbindung angelegt.</translation>
    </message>
    <message>
        <source>New connections: %1.</source>
        <translation>Neue Verbindungen: %1.</translation>
    </message>
    <message>
        <source>Skipped: %1.</source>
        <translation>Übersprungen: %1.</translation>
    </message>
    <message>
        <source>A connection has this name</source>
        <translation>Eine Verbindung hat diesen Namen</translation>
    </message>
    <message>
        <source>Another name for %1: imported once</source>
        <translation>Anderer Name für %1: nur einmal importiert</translation>
    </message>
    <message>
        <source>Same address as %1: check it to import it anyway</source>
        <translation>Gleiche Adresse wie %1: zum Importieren trotzdem ankreuzen</translation>
    </message>
    <message>
        <source>Not importable: reached through a jump host (ProxyJump/ProxyCommand), and GPU Deck connects directly</source>
        <translation>Nicht importierbar: nur über einen Jump-Host erreichbar (ProxyJump/ProxyCommand), GPU Deck verbindet sich aber direkt</translation>
    </message>
</context>
<context>
    <name>gpudeck::SwapProgress</name>
    <message>
        <source>&amp;Cancel swap</source>
        <translation>Wechsel &amp;abbrechen</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>rolling back</source>
        <translation>rollt zurück</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Swap on %1: start %2</source>
        <translation>Wechsel auf %1: %2 starten</translation>
    </message>
    <message>
        <source>Swap on %1: %2 → %3</source>
        <translation>Wechsel auf %1: %2 → %3</translation>
    </message>
    <message>
        <source>Step: %1 (%2)</source>
        <translation>Schritt: %1 (%2)</translation>
    </message>
    <message>
        <source>Succeeded: %1 is up on %2.</source>
        <translation>Erfolgreich: %1 läuft auf %2.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>No model was up before, so there was nothing to restore.</source>
        <translation>Vorher lief kein Modell, also gab es nichts wiederherzustellen.</translation>
    </message>
    <message>
        <source>The previous model %1 was restored.</source>
        <translation>Das vorherige Modell %1 wurde wiederhergestellt.</translation>
    </message>
    <message>
        <source>The previous model %1 could not be restored: %2</source>
        <translation>Das vorherige Modell %1 konnte nicht wiederhergestellt werden: %2</translation>
    </message>
    <message>
        <source>Last output:</source>
        <translation>Letzte Ausgabe:</translation>
    </message>
    <message>
        <source>waiting to start</source>
        <translation>wartet auf den Start</translation>
    </message>
    <message>
        <source>finding out what runs</source>
        <translation>ermittelt, was läuft</translation>
    </message>
    <message>
        <source>checking that it fits in memory</source>
        <translation>prüft, ob es in den Speicher passt</translation>
    </message>
    <message>
        <source>stopping the current model</source>
        <translation>hält das aktuelle Modell an</translation>
    </message>
    <message>
        <source>starting the new model</source>
        <translation>startet das neue Modell</translation>
    </message>
    <message>
        <source>waiting for it to become healthy</source>
        <translation>wartet, bis es bereit ist</translation>
    </message>
    <message>
        <source>checking that it is listed</source>
        <translation>prüft, ob es gelistet wird</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>reading the model&apos;s log</source>
        <translation>liest das Protokoll des Modells</translation>
    </message>
    <message>
        <source>stopping the new model</source>
        <translation>hält das neue Modell an</translation>
    </message>
    <message>
        <source>starting the previous model again</source>
        <translation>startet das vorherige Modell erneut</translation>
    </message>
    <message>
        <source>waiting for the previous model</source>
        <translation>wartet auf das vorherige Modell</translation>
    </message>
    <message>
        <source>refused, nothing was stopped</source>
        <translation>abgelehnt, nichts wurde angehalten</translation>
    </message>
    <message>
        <source>%1, previous model restored</source>
        <translation>%1, vorheriges Modell wiederhergestellt</translation>
    </message>
    <message>
        <source>%1, previous model not restored</source>
        <translation>%1, vorheriges Modell nicht wiederhergestellt</translation>
    </message>
    <message>
        <source>Stopped while %1</source>
        <translation>Angehalten bei: %1</translation>
    </message>
    <message>
        <source>Failed while %1: %2</source>
        <translation>Fehlgeschlagen bei: %1: %2</translation>
    </message>
    <message>
        <source>Nothing was stopped.</source>
        <translation>Es wurde nichts angehalten.</translation>
    </message>
    <message>
        <source>Nothing was stopped: %1 still runs.</source>
        <translation>Es wurde nichts angehalten: %1 läuft weiter.</translation>
    </message>
    <message>
        <source>Swap &amp;anyway…</source>
        <translation>&amp;Trotzdem wechseln…</translation>
    </message>
    <message>
        <source>Start this swap again without the fit check&apos;s refusal</source>
        <translation>Diesen Wechsel erneut starten, ohne die Ablehnung der Speicherprüfung</translation>
    </message>
</context>
<context>
    <name>gpudeck::SyncProgressDialog</name>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Pull</source>
        <translation>Zurückholen</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronisieren</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Dateien:</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>Daten:</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>Jetzt:</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Breche ab…</translation>
    </message>
    <message>
        <source>Pulled 1 file (%1)</source>
        <translation>1 Datei zurückgeholt (%1)</translation>
    </message>
    <message>
        <source>Pulled %1 files (%2)</source>
        <translation>%1 Dateien zurückgeholt (%2)</translation>
    </message>
    <message>
        <source>Sent 1 file (%1)</source>
        <translation>1 Datei gesendet (%1)</translation>
    </message>
    <message>
        <source>Sent %1 files (%2)</source>
        <translation>%1 Dateien gesendet (%2)</translation>
    </message>
    <message>
        <source>%1 unchanged</source>
        <translation>%1 unverändert</translation>
    </message>
    <message>
        <source>%1 deleted on the host</source>
        <translation>%1 auf dem Host gelöscht</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>, in %1 s.</source>
        <translation>, in %1 s.</translation>
    </message>
    <message>
        <source>The extra file was sent with mode 0600.</source>
        <translation>Die Zusatzdatei wurde mit Modus 0600 gesendet.</translation>
    </message>
    <message>
        <source>The %1 extra files were sent with mode 0600.</source>
        <translation>Die %1 Zusatzdateien wurden mit Modus 0600 gesendet.</translation>
    </message>
    <message>
        <source>The host&apos;s copy was checked file by file.</source>
        <translation>Die Kopie auf dem Host wurde Datei für Datei geprüft.</translation>
    </message>
    <message>
        <source>Cancelled. %1 Files not sent yet were left as they were on the host; none is half-written under its name.</source>
        <translation>Abgebrochen. %1 Noch nicht gesendete Dateien blieben auf dem Host, wie sie waren; keine ist halb geschrieben unter ihrem Namen.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Listing the remote files…</source>
        <translation>Liste die entfernten Dateien auf…</translation>
    </message>
    <message>
        <source>Listing what git tracks and what changed since the last sync…</source>
        <translation>Liste auf, was Git verfolgt und was sich seit der letzten Synchronisierung geändert hat…</translation>
    </message>
    <message>
        <source>Receiving…</source>
        <translation>Empfange…</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sende…</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Fehlgeschlagen.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>gpudeck::TrayIcon</name>
    <message>
        <source>Show window</source>
        <translation>Fenster anzeigen</translation>
    </message>
    <message>
        <source>Pause monitoring</source>
        <translation>Überwachung pausieren</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>Überwachung</translation>
    </message>
    <message>
        <source>Quit GPU Deck</source>
        <translation>GPU Deck beenden</translation>
    </message>
    <message>
        <source>GPU Deck</source>
        <translation>GPU Deck</translation>
    </message>
    <message>
        <source>Hide window</source>
        <translation>Fenster ausblenden</translation>
    </message>
    <message>
        <source>Critical: %1</source>
        <translation>Kritisch: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Wake</source>
        <translation>Aufwecken</translation>
    </message>
    <message>
        <source>%1 (waking…)</source>
        <translation>%1 (wird geweckt…)</translation>
    </message>
    <message>
        <source>No host is asleep</source>
        <translation>Kein Host schläft</translation>
    </message>
    <message>
        <source>Wake all</source>
        <translation>Alle aufwecken</translation>
    </message>
    <message>
        <source>Waking %1</source>
        <translation>Wecke %1 auf</translation>
    </message>
    <message>
        <source>Magic packet sent; waiting until it answers on SSH.</source>
        <translation>Magic Packet gesendet; warte, bis er über SSH antwortet.</translation>
    </message>
    <message>
        <source>Could not wake %1</source>
        <translation>%1 konnte nicht aufgeweckt werden</translation>
    </message>
    <message>
        <source>%1 is awake</source>
        <translation>%1 ist wach</translation>
    </message>
    <message>
        <source>It answered after %1 s.</source>
        <translation>Er hat nach %1 s geantwortet.</translation>
    </message>
    <message>
        <source>%1 did not wake</source>
        <translation>%1 ist nicht aufgewacht</translation>
    </message>
    <message>
        <source>No answer on SSH within %1 s.</source>
        <translation>Keine Antwort über SSH innerhalb von %1 s.</translation>
    </message>
</context>
<context>
    <name>gpudeck::TypedConfirmDialog</name>
    <message>
        <source>Type %1 to confirm:</source>
        <translation>Geben Sie %1 ein, um zu bestätigen:</translation>
    </message>
</context>
<context>
    <name>gpudeck::WakeDialog</name>
    <message>
        <source>Asking the Proxmox cluster to wake it…</source>
        <translation>Bitte den Proxmox-Cluster, ihn aufzuwecken…</translation>
    </message>
    <message>
        <source>Magic packet sent; waiting for SSH to answer…</source>
        <translation>Magic Packet gesendet; warte, bis SSH antwortet…</translation>
    </message>
    <message>
        <source>Awake; connecting…</source>
        <translation>Wach; verbinde…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starte…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Wake %1</source>
        <translation>%1 aufwecken</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (MAC %2)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (MAC %2)</translation>
    </message>
    <message numerus="yes">
        <source>%1 s of %2 s · %n packet(s) sent to %3</source>
        <translation>
            <numerusform>%1 s von %2 s · %n Paket an %3 gesendet</numerusform>
            <numerusform>%1 s von %2 s · %n Pakete an %3 gesendet</numerusform>
        </translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Could not wake %1: %2</source>
        <translation>%1 konnte nicht aufgeweckt werden: %2</translation>
    </message>
    <message>
        <source>%1 is awake (after %2 s).</source>
        <translation>%1 ist wach (nach %2 s).</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>Verbunden.</translation>
    </message>
    <message>
        <source>Connecting failed: %1</source>
        <translation>Verbinden fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s.</source>
        <translation>%1 hat nicht innerhalb von %2 s geantwortet.</translation>
    </message>
    <message>
        <source>Stopped waiting for %1.</source>
        <translation>Warten auf %1 beendet.</translation>
    </message>
    <message>
        <source>Magic packet sent to %1.</source>
        <translation>Magic Packet an %1 gesendet.</translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) sent</source>
        <translation>
            <numerusform>%n Paket gesendet</numerusform>
            <numerusform>%n Pakete gesendet</numerusform>
        </translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>an %1</translation>
    </message>
    <message>
        <source>woken by its Proxmox cluster</source>
        <translation>von seinem Proxmox-Cluster geweckt</translation>
    </message>
    <message>
        <source>the cluster could not: %1</source>
        <translation>der Cluster konnte es nicht: %1</translation>
    </message>
    <message>
        <source>not sent: %1</source>
        <translation>nicht gesendet: %1</translation>
    </message>
</context>
<context>
    <name>gpudeck::WelcomePanel</name>
    <message>
        <source>Welcome to GPU Deck</source>
        <translation>Willkommen bei GPU Deck</translation>
    </message>
    <message>
        <source>No hosts yet. Add the machines you work on: each one shows in Fleet with its GPUs, what it serves and runs, and what needs attention.</source>
        <translation>Noch keine Hosts. Fügen Sie die Maschinen hinzu, mit denen Sie arbeiten: Jede erscheint in der Flotte mit ihren GPUs, dem, was sie bereitstellt und ausführt, und dem, was Aufmerksamkeit braucht.</translation>
    </message>
    <message>
        <source>Add a host…</source>
        <translation>Host hinzufügen…</translation>
    </message>
    <message>
        <source>By its address, user and sign-in (SSH key, password or agent), or this computer itself.</source>
        <translation>Mit Adresse, Benutzer und Anmeldung (SSH-Schlüssel, Passwort oder Agent) – oder dieser Computer selbst.</translation>
    </message>
    <message>
        <source>Import from ~/.ssh/config…</source>
        <translation>Aus ~/.ssh/config importieren…</translation>
    </message>
    <message>
        <source>The hosts you already reach with ssh, with their users, ports and keys. You choose which ones.</source>
        <translation>Die Hosts, die Sie schon mit ssh erreichen, mit Benutzern, Ports und Schlüsseln. Sie wählen aus, welche.</translation>
    </message>
    <message>
        <source>A machine that sleeps? Add it with its MAC address: GPU Deck wakes it over the network (Wake-on-LAN) and connects once it answers.</source>
        <translation>Eine Maschine, die schläft? Fügen Sie sie mit ihrer MAC-Adresse hinzu: GPU Deck weckt sie über das Netzwerk auf (Wake-on-LAN) und verbindet sich, sobald er antwortet.</translation>
    </message>
</context>
</TS>
