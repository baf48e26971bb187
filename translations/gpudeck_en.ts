<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
        <source>&amp;MAC address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/ConnectionDialog.ui" line="166"/>
        <source>Optional, for Wake-on-LAN: 00:11:22:33:44:55</source>
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
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/Labels.cpp" line="59"/>
        <source>Cancelled</source>
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
</context>
<context>
    <name>gpudeck::ConnectionDialog</name>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="22"/>
        <source>Add connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="22"/>
        <source>Edit connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionDialog.cpp" line="90"/>
        <source>Choose an SSH private key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsModel</name>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="35"/>
        <source>(this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="43"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="43"/>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="61"/>
        <source>Last connected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="62"/>
        <source>Never connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="87"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="89"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="91"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="93"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="95"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsModel.cpp" line="97"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsPane</name>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="31"/>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="33"/>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="35"/>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="45"/>
        <source>No connections yet. Add one here, or create one through the API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="116"/>
        <source>Saved connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="128"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="136"/>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="142"/>
        <source>Delete connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="128"/>
        <source>Delete the connection %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="128"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="133"/>
        <source>%1 still has projects. Delete the connection together with its projects and their jobs?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="136"/>
        <source>Delete with its projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/connections/ConnectionsPane.cpp" line="145"/>
        <source>Deleted connection %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::GpusPane</name>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="6"/>
        <source>GPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/gpus/GpusPane.cpp" line="6"/>
        <source>Live and historical GPU charts for every connected host will appear here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::JobDialog</name>
    <message>
        <location filename="../src/gui/jobs/JobDialog.cpp" line="22"/>
        <source>New job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobDialog.cpp" line="22"/>
        <source>Edit job %1</source>
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
        <location filename="../src/gui/jobs/JobsPane.cpp" line="67"/>
        <source>&amp;New project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="68"/>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="69"/>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="71"/>
        <source>Projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="93"/>
        <source>New &amp;job…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="94"/>
        <source>Ed&amp;it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="95"/>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="98"/>
        <source>Set &amp;status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="119"/>
        <source>Set status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="180"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="274"/>
        <source>Add a connection first: every project lives on a connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="181"/>
        <source>No projects yet. Create one here or through the API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="202"/>
        <source>Jobs of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="202"/>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="224"/>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="227"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="349"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="366"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="281"/>
        <source>Saved project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="315"/>
        <source>Saved job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="331"/>
        <source>Set job status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="334"/>
        <source>Job %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="347"/>
        <source>Delete the project %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/jobs/JobsPane.cpp" line="348"/>
        <source>Delete the project %1 and its %n job(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="349"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="353"/>
        <source>Delete project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="356"/>
        <source>Deleted project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="366"/>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="370"/>
        <source>Delete job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="366"/>
        <source>Delete the job %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/JobsPane.cpp" line="373"/>
        <source>Deleted job %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::MainWindow</name>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="41"/>
        <source>GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="72"/>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="73"/>
        <source>GPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="74"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="75"/>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="98"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="99"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="103"/>
        <source>&amp;API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="104"/>
        <source>Copy API &amp;address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="106"/>
        <source>API address copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="109"/>
        <source>Copy API &amp;token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="111"/>
        <source>Copies the token agents need for the local API, without showing it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="113"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="114"/>
        <source>&amp;About GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="115"/>
        <source>About GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="116"/>
        <source>&lt;b&gt;GPU Deck %1&lt;/b&gt;&lt;p&gt;A command center for your GPU machines: a window and tray icon for people, a local REST API for agents, both over the same core.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="126"/>
        <source>API not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="126"/>
        <source>API on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="130"/>
        <source>Copy token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="131"/>
        <source>Copy the API token to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="161"/>
        <source>API token copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="210"/>
        <source>GPU Deck is still running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="211"/>
        <source>Monitoring and the API keep running. Quit from the tray menu.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ModelsPane</name>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="6"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/models/ModelsPane.cpp" line="7"/>
        <source>The models each host can serve, the one being served now, and a one-click swap will appear here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gpudeck::ProjectDialog</name>
    <message>
        <location filename="../src/gui/jobs/ProjectDialog.cpp" line="19"/>
        <source>New project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/jobs/ProjectDialog.cpp" line="19"/>
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
    <name>gpudeck::TrayIcon</name>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="17"/>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="37"/>
        <source>Show window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="19"/>
        <source>Quit GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="21"/>
        <source>GPU Deck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/tray/TrayIcon.cpp" line="37"/>
        <source>Hide window</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
