<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectionDialog</name>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="14"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="25"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="35"/>
        <source>spark-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="38"/>
        <source>A unique name; the API accepts it wherever it takes a connection id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="45"/>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="58"/>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="68"/>
        <source>203.0.113.10 or host.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="75"/>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="98"/>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="108"/>
        <source>ubuntu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="115"/>
        <source>&amp;Authentication:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="128"/>
        <source>SSH &amp;key file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="140"/>
        <source>~/.ssh/id_ed25519</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="147"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="156"/>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="169"/>
        <source>Kept in the system keychain, never in GPU Deck&apos;s database or logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="176"/>
        <source>&amp;MAC address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="186"/>
        <source>Optional, for Wake-on-LAN: 00:11:22:33:44:55</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsoleDialog</name>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="14"/>
        <source>Run command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="49"/>
        <source>&amp;Command:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="59"/>
        <source>nvidia-smi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="62"/>
        <source>Runs with /bin/sh on the host. Up and Down recall earlier commands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="72"/>
        <source>&amp;Timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="82"/>
        <source>The command is killed when it runs longer than this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="85"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="101"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="111"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="114"/>
        <source>Stop waiting for the result. The command itself keeps running on the host until it ends or its timeout kills it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="129"/>
        <source>Output appears here: standard output as it is, standard error in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConsoleDialog.ui" line="170"/>
        <source>C&amp;lear</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormErrors</name>
    <message>
        <location filename="../src/gui/FormErrors.cpp" line="58"/>
        <source>Not available right now: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FormErrors.cpp" line="60"/>
        <source>Something went wrong: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HostKeyDialog</name>
    <message>
        <location filename="../ui/HostKeyDialog.ui" line="14"/>
        <source>Host key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HostKeyDialog.ui" line="69"/>
        <source>Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HostKeyDialog.ui" line="83"/>
        <source>&amp;Fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HostKeyDialog.ui" line="112"/>
        <source>Run this on the host itself; it prints the fingerprint of each of its host keys.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobDialog</name>
    <message>
        <location filename="../ui/JobDialog.ui" line="14"/>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="25"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="35"/>
        <source>lora-run-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="42"/>
        <source>&amp;Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="52"/>
        <source>meta-llama/Llama-3.1-8B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="59"/>
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="72"/>
        <source>&amp;Command:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="85"/>
        <source>python train.py --epochs 3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="92"/>
        <source>&amp;Working directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="102"/>
        <source>The project&apos;s remote path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="109"/>
        <source>&amp;Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/JobDialog.ui" line="122"/>
        <source>One KEY=VALUE per line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../src/gui/Labels.cpp" line="19"/>
        <source>Generic SSH host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="20"/>
        <source>DGX Spark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="21"/>
        <source>Proxmox node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="22"/>
        <source>RunPod pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="23"/>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="29"/>
        <source>SSH key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="30"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="31"/>
        <source>SSH agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="37"/>
        <source>Computer vision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="38"/>
        <source>NLP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="39"/>
        <source>Reinforcement learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="40"/>
        <source>Generative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="41"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="47"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="48"/>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="49"/>
        <source>Archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="55"/>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="56"/>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="57"/>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="58"/>
        <location filename="../src/gui/Labels.cpp" line="75"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="59"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="67"/>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="69"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="71"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="73"/>
        <source>Reconnecting (attempt %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="73"/>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricText</name>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="24"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="29"/>
        <source>%1 °C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="34"/>
        <source>%1 W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="42"/>
        <source>%1 / %2 W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="47"/>
        <source>%1 MHz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="55"/>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="55"/>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="61"/>
        <source>1 GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/gpus/MetricText.cpp" line="61"/>
        <source>%n GPUs</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="70"/>
        <source>%1 / %2 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="74"/>
        <source>%1 (unified)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="80"/>
        <source>Monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="83"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="86"/>
        <source>Starting monitoring…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="89"/>
        <source>nvidia-smi not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="92"/>
        <source>No NVIDIA GPU found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="95"/>
        <source>Metrics stream interrupted, restarting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/MetricText.cpp" line="98"/>
        <source>Monitoring paused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MonitoringSettingsDialog</name>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="14"/>
        <source>Monitoring settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="20"/>
        <source>Collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="29"/>
        <source>Sam&amp;ple every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="39"/>
        <source>How often nvidia-smi reports each GPU (its -lms interval).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="42"/>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="71"/>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="228"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="58"/>
        <source>&amp;Host poll every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="68"/>
        <source>How often the host&apos;s memory, load average and the processes on its GPUs are read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="90"/>
        <source>Alert thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="99"/>
        <source>&amp;Temperature alert at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="109"/>
        <source>A GPU at or above this temperature raises a critical alert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="112"/>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="141"/>
        <source> °C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="128"/>
        <source>Temperature alert &amp;ends at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="138"/>
        <source>The alert ends once the GPU is back at or below this temperature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="157"/>
        <source>&amp;Memory alert at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="167"/>
        <source>A GPU whose memory is this full raises a warning.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="170"/>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="199"/>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="186"/>
        <source>Memory alert e&amp;nds at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="196"/>
        <source>The warning ends once the memory is back at or below this level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="215"/>
        <source>Host &amp;unreachable after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="225"/>
        <source>A host whose link stays down this long raises a critical alert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="247"/>
        <source>History kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="256"/>
        <source>Keep e&amp;very sample for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="266"/>
        <source>Raw samples, the finest detail, used for the last hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="269"/>
        <source> h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="285"/>
        <source>Keep &amp;1-minute averages for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="295"/>
        <source>Used for charts over a day or a week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="298"/>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="327"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="314"/>
        <source>Keep 1-h&amp;our averages for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MonitoringSettingsDialog.ui" line="324"/>
        <source>Used for charts over a month or more.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectDialog</name>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="14"/>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="25"/>
        <source>&amp;Connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="38"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="48"/>
        <source>llama-finetune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="55"/>
        <source>&amp;Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="72"/>
        <source>&amp;Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="85"/>
        <source>&amp;Remote path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="95"/>
        <source>~/projects/llama-finetune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="102"/>
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ProjectDialog.ui" line="115"/>
        <source>&amp;Backend:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SshImportDialog</name>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="14"/>
        <source>Import from SSH config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="22"/>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="32"/>
        <source>An OpenSSH client config. Press Enter to read it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="39"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="51"/>
        <source>Each Host entry can become a connection. Host names, users, ports and key files are taken over; nothing is connected yet, and existing connections are never changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="71"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="76"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="81"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="86"/>
        <source>Sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="91"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="101"/>
        <source>Select &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SshImportDialog.ui" line="111"/>
        <source>Select &amp;none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayState</name>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="55"/>
        <source>%1: connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="57"/>
        <source>%1: reconnecting (attempt %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="58"/>
        <source>%1: reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="60"/>
        <source>%1: connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="62"/>
        <location filename="../src/gui/tray/TrayState.cpp" line="72"/>
        <source>%1: offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="67"/>
        <source>%1: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="74"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="86"/>
        <source>%1: %2, %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="94"/>
        <source>GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="96"/>
        <source>Monitoring paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="103"/>
        <source>No hosts connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="120"/>
        <source>1 critical alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/tray/TrayState.cpp" line="120"/>
        <source>%n critical alerts</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayState.cpp" line="123"/>
        <source>1 warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/tray/TrayState.cpp" line="123"/>
        <source>%n warnings</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsIndicator</name>
    <message>
        <location filename="../src/gui/alerts/AlertsIndicator.cpp" line="35"/>
        <source>Show the alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsIndicator.cpp" line="53"/>
        <source>1 active alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/alerts/AlertsIndicator.cpp" line="53"/>
        <source>%n active alerts</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsModel</name>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="38"/>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="41"/>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="44"/>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="74"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="124"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="126"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="128"/>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="130"/>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="132"/>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsModel.cpp" line="134"/>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsPanel</name>
    <message>
        <location filename="../src/gui/alerts/AlertsPanel.cpp" line="26"/>
        <source>Active only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsPanel.cpp" line="31"/>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/alerts/AlertsPanel.cpp" line="71"/>
        <source>%n active</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsPanel.cpp" line="74"/>
        <source>No active alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/alerts/AlertsPanel.cpp" line="75"/>
        <source>No alerts yet. GPU Deck raises one when a GPU runs hot, its memory fills up, or a host stays unreachable; the thresholds are in Monitoring settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionDialog</name>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="26"/>
        <source>Add connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="26"/>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="190"/>
        <source>Edit connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="94"/>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="95"/>
        <source>Leave empty to keep the stored password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="96"/>
        <source>Stored in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="98"/>
        <source>Key pass&amp;phrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="99"/>
        <source>Leave empty to keep the stored passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="100"/>
        <source>Only if the key file has one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="122"/>
        <source>Choose an SSH private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="163"/>
        <source>Saving to the system keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="173"/>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="173"/>
        <source>key passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="187"/>
        <source>The connection was saved, but the %1 was not: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsModel</name>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="95"/>
        <source>(this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="120"/>
        <source>%1 (since %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="121"/>
        <source>%1 since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="128"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="136"/>
        <source>Last connected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="137"/>
        <source>Never connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="177"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="179"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="181"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="183"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="185"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="187"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsPane</name>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="102"/>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="103"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="285"/>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="104"/>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="72"/>
        <source>&amp;Add connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="73"/>
        <source>&amp;Import from SSH config…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="74"/>
        <source>Create connections from the Host entries of ~/.ssh/config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="75"/>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="76"/>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="77"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="107"/>
        <source>&amp;Run command…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="78"/>
        <source>Set &amp;password / passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="79"/>
        <source>Store the password or key passphrase in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="105"/>
        <source>C&amp;onnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="106"/>
        <source>D&amp;isconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="108"/>
        <source>Import from &amp;SSH config…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="123"/>
        <source>No connections yet. Add one here, import your ~/.ssh/config, or create one through the API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="168"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="169"/>
        <source>Stop connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="232"/>
        <source>Cancel the connection attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="233"/>
        <source>Close the link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="236"/>
        <source>Run a command on this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="236"/>
        <source>Connect first to run commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="247"/>
        <source>Select a connection to see its link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="259"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="261"/>
        <source>host key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="264"/>
        <source>signed in with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="271"/>
        <source>Last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="288"/>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="345"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="369"/>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="398"/>
        <source>Stopped connecting to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="398"/>
        <source>Disconnected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="404"/>
        <source>%1: check its host key to connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="411"/>
        <source>Could not connect to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="445"/>
        <source>Not connected to %1: its host key was not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="456"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="464"/>
        <source>Forget the old host key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="465"/>
        <source>GPU Deck&apos;s own list of host keys has no key for %1, so the old key must come from your ~/.ssh/known_hosts, which GPU Deck never changes. Remove it there with

    ssh-keygen -R &quot;%1&quot;

and connect again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="471"/>
        <source>Forgot the old host key of %1; connecting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="515"/>
        <source>Imported from SSH config: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="552"/>
        <source>Saved connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="555"/>
        <source>Stored the %1 of %2 in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="567"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="575"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="581"/>
        <source>Delete connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="567"/>
        <source>Delete the connection %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="567"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="572"/>
        <source>%1 still has projects. Delete the connection together with its projects and their jobs?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="575"/>
        <source>Delete with its projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="590"/>
        <source>Deleted connection %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ConsoleDialog</name>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="32"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="32"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="71"/>
        <source>Run command on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="80"/>
        <source>this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="81"/>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="116"/>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="120"/>
        <source>$ %1    (run anyway)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="143"/>
        <source>Refused by the safety guard: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="144"/>
        <source>Refused by the safety guard; waiting for your answer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="145"/>
        <source>This command looks destructive: %1.

Run it anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="146"/>
        <source>Run a destructive command?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="146"/>
        <source>Run anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="150"/>
        <source>Not run: the safety guard refused it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="161"/>
        <source>Exit code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="162"/>
        <source>Killed by signal %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="163"/>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="165"/>
        <source>%1 · output truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="186"/>
        <source>Stopped waiting. The command may still be running on the host until it ends or its %1 s timeout kills it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="190"/>
        <source>Stopped waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConsoleDialog.cpp" line="239"/>
        <source>… %1 more bytes not shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::GpusPane</name>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="53"/>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="54"/>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="55"/>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="56"/>
        <source>7 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="57"/>
        <source>30 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="95"/>
        <source>No GPU readings in the last %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="141"/>
        <source>&amp;Pause monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="144"/>
        <source>Stop reading GPU metrics on every host until resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="146"/>
        <source>Monitoring &amp;settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="231"/>
        <source>Live: the last five minutes, as they come in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="232"/>
        <source>The stored history of the last %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="244"/>
        <source>Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="245"/>
        <source>Choose the hosts shown side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="429"/>
        <source>No GPUs to show yet.
Connect a host in Connections: its GPUs appear here as soon as monitoring reads them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="431"/>
        <source>No GPU metrics stored for the last %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="592"/>
        <source>Monitoring paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="592"/>
        <source>Monitoring resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="606"/>
        <source>Monitoring settings saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="615"/>
        <source>No connections yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::HostColumn</name>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="107"/>
        <source>%1 × %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="130"/>
        <source>GPU processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="131"/>
        <source>No processes are using the GPUs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="156"/>
        <source>Utilisation (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="156"/>
        <source>Memory used (GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="156"/>
        <source>Temperature (°C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="157"/>
        <source>Power (W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="171"/>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <source>Util</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="171"/>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="301"/>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <source>Temp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <source>Power</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <source>SM clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="167"/>
        <source>P-state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="171"/>
        <source>PID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="171"/>
        <source>Process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="240"/>
        <source>RAM %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="243"/>
        <source>load %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="256"/>
        <source>Not monitored now: only the stored history is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="260"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="288"/>
        <source>%1
%2
Bus %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="291"/>
        <source>Unified memory: the GPU shares the host&apos;s RAM; the figures are the host&apos;s, from /proc/meminfo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/HostColumn.cpp" line="301"/>
        <source>Memory (unified)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::HostKeyDialog</name>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="63"/>
        <source>Unknown host key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="66"/>
        <source>GPU Deck has not seen %1 before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="68"/>
        <source>Before trusting it, make sure this is really your host: anyone between you and it could present their own key. Once trusted, the key is remembered and checked on every connect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="70"/>
        <source>To check, run this on the host itself (at its console, or over a connection you already trust):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="72"/>
        <source>One of the lines it prints must show exactly the fingerprint above. If none does, do not connect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="74"/>
        <source>&amp;Trust and connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="82"/>
        <source>Host key changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="85"/>
        <source>WARNING: the host key of %1 has changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="88"/>
        <source>New &amp;fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="90"/>
        <source>GPU Deck refused to connect. If you know why the key changed (the host was reinstalled, its keys were regenerated), check the new key by running this on the host itself:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="92"/>
        <source>Only when one of its lines shows exactly the new fingerprint above, forget the old key and trust the new one. Otherwise do not connect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="94"/>
        <source>&amp;Forget the old key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="118"/>
        <source>Forget the old host key of %1?

GPU Deck then connects again and shows you the new key to check and trust. Do this only if you know why the key changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="121"/>
        <source>Forget the old host key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/HostKeyDialog.cpp" line="121"/>
        <source>Forget the old key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::JobDialog</name>
    <message>
        <location filename="../src/gui/jobs/JobDialog.cpp" line="25"/>
        <source>New job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobDialog.cpp" line="25"/>
        <source>Edit job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobDialog.cpp" line="56"/>
        <source>Environment line %1 is not KEY=VALUE: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::JobLogView</name>
    <message>
        <location filename="../src/gui/jobs/JobLogView.cpp" line="22"/>
        <source>Select a job to see its log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobLogView.cpp" line="54"/>
        <source>This job has no command: GPU Deck only tracks it, so there is no log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobLogView.cpp" line="58"/>
        <source>Waiting for output…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobLogView.cpp" line="67"/>
        <source>Not started yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::JobMetricsChart</name>
    <message>
        <location filename="../src/gui/jobs/JobMetricsChart.cpp" line="64"/>
        <source>No metrics yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobMetricsChart.cpp" line="65"/>
        <source>Lines the job prints as GPUDECK_METRICS {&quot;loss&quot;: 0.5, ...} are drawn here, one line per key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobMetricsChart.cpp" line="71"/>
        <source>Metrics line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::JobsModel</name>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="91"/>
        <source>Container %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="104"/>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="106"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="108"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="110"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="112"/>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsModel.cpp" line="114"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::JobsPane</name>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="73"/>
        <source>&amp;New project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="74"/>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="75"/>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="77"/>
        <source>Projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="99"/>
        <source>New &amp;job…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="100"/>
        <source>Ed&amp;it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="101"/>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="102"/>
        <source>S&amp;tart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="103"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="269"/>
        <source>Run the job&apos;s command on its project&apos;s host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="104"/>
        <source>&amp;Cancel job…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="105"/>
        <source>Interrupt the running job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="108"/>
        <source>Set &amp;status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="138"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="144"/>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="156"/>
        <source>Set status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="224"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="388"/>
        <source>Add a connection first: every project lives on a connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="225"/>
        <source>No projects yet. Create one here or through the API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="250"/>
        <source>Jobs of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="250"/>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="268"/>
        <source>Give the job a command (Edit…) to run it from here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="289"/>
        <source>Starting job %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="294"/>
        <source>Start job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="295"/>
        <source>Could not start %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="300"/>
        <source>Could not start job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="303"/>
        <source>Started job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="314"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="318"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="325"/>
        <source>Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="315"/>
        <source>Cancel the running job %1? It is interrupted, and killed if it has not stopped after 10 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="328"/>
        <source>Cancelled job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="338"/>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="341"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="463"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="480"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="395"/>
        <source>Saved project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="429"/>
        <source>Saved job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="445"/>
        <source>Set job status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="448"/>
        <source>Job %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="461"/>
        <source>Delete the project %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/jobs/JobsPane.cpp" line="462"/>
        <source>Delete the project %1 and its %n job(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="463"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="467"/>
        <source>Delete project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="470"/>
        <source>Deleted project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="480"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="484"/>
        <source>Delete job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="480"/>
        <source>Delete the job %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="487"/>
        <source>Deleted job %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::MainWindow</name>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="42"/>
        <source>GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="74"/>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="75"/>
        <source>GPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="76"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="77"/>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="101"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="102"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="106"/>
        <source>&amp;Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="116"/>
        <source>&amp;API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="117"/>
        <source>Copy API &amp;address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="119"/>
        <source>API address copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="122"/>
        <source>Copy API &amp;token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="124"/>
        <source>Copies the token agents need for the local API, without showing it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="126"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="127"/>
        <source>&amp;About GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="128"/>
        <source>About GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="129"/>
        <source>&lt;b&gt;GPU Deck %1&lt;/b&gt;&lt;p&gt;A command center for your GPU machines: a window and tray icon for people, a local REST API for agents, both over the same core.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="139"/>
        <source>API not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="139"/>
        <source>API on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="143"/>
        <source>Copy token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="144"/>
        <source>Copy the API token to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="177"/>
        <source>API token copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="226"/>
        <source>GPU Deck is still running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="227"/>
        <source>Monitoring and the API keep running. Quit from the tray menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="112"/>
        <source>&amp;Monitoring</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ModelsPane</name>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="26"/>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="28"/>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="32"/>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="90"/>
        <source>&amp;Reload models.yaml</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="91"/>
        <source>Re&amp;fresh status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="103"/>
        <source>Read models.yaml again (it is also re-read when it changes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="105"/>
        <source>Ask every host which model it serves, and check the services, now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="109"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="109"/>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="109"/>
        <location filename="../src/gui/models/ModelsPane.cpp" line="119"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="109"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="109"/>
        <source>Serving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="119"/>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="119"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="119"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="119"/>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="125"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="133"/>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="160"/>
        <source>Swap on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="166"/>
        <source>Cancel swap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="176"/>
        <source>Asking the hosts which models they serve…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="188"/>
        <source>No models yet: describe what each host can serve in %1 (see models.example.yaml).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="190"/>
        <source>From %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="205"/>
        <source>Also answers to: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="210"/>
        <location filename="../src/gui/models/ModelsPane.cpp" line="306"/>
        <source>Swap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="214"/>
        <source>Serve %1 on %2 (asks first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="239"/>
        <source>models.yaml has problems:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="240"/>
        <source>The last good version below stays in use until it is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="241"/>
        <source>Nothing is in use until it is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="253"/>
        <source>Swapping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="255"/>
        <source>Serving %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="257"/>
        <source>Nothing served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="288"/>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="292"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="301"/>
        <source>Serve %1 on %2? Nothing is known to be running there, so nothing is stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="303"/>
        <source>Serve %1 on %2?

This stops %3 first. If %1 does not come up, %3 is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="306"/>
        <location filename="../src/gui/models/ModelsPane.cpp" line="311"/>
        <source>Swap model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ProjectDialog</name>
    <message>
        <location filename="../src/gui/jobs/ProjectDialog.cpp" line="12"/>
        <source>tmux session on the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectDialog.cpp" line="15"/>
        <source>Slurm batch job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectDialog.cpp" line="30"/>
        <source>New project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectDialog.cpp" line="30"/>
        <source>Edit project %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ProjectsModel</name>
    <message>
        <location filename="../src/gui/jobs/ProjectsModel.cpp" line="66"/>
        <source>Remote path: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectsModel.cpp" line="98"/>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectsModel.cpp" line="100"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectsModel.cpp" line="102"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectsModel.cpp" line="104"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::SshImportDialog</name>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="36"/>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="102"/>
        <source>Choose an SSH config file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="128"/>
        <source>(your user name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="136"/>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="142"/>
        <source>No Host entries in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="201"/>
        <source>Notes from reading the file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="221"/>
        <source>Check at least one host to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="235"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="237"/>
        <source>No connection was created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="238"/>
        <source>New connections: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/SshImportDialog.cpp" line="240"/>
        <source>Skipped: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::SwapProgress</name>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="19"/>
        <source>&amp;Cancel swap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="58"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="60"/>
        <source>rolling back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="62"/>
        <source>succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="64"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="66"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="75"/>
        <source>Swap on %1: start %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="76"/>
        <source>Swap on %1: %2 → %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="77"/>
        <source>Step: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="103"/>
        <source>Succeeded: %1 is up on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="106"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="106"/>
        <source>Failed at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="108"/>
        <source>No model was up before, so there was nothing to restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="110"/>
        <source>The previous model %1 was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="112"/>
        <source>The previous model %1 could not be restored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/SwapProgress.cpp" line="115"/>
        <source>Last output:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::TrayIcon</name>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="29"/>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="80"/>
        <source>Show window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="30"/>
        <source>Pause monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="36"/>
        <source>Monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="40"/>
        <source>Quit GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="42"/>
        <source>GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="80"/>
        <source>Hide window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="112"/>
        <source>Critical: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="112"/>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
