<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>MetricText</name>
    <message numerus="yes">
        <source>%n GPUs</source>
        <translation>
            <numerusform>%n GPU</numerusform>
            <numerusform>%n GPUs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayState</name>
    <message numerus="yes">
        <source>%n critical alerts</source>
        <translation>
            <numerusform>%n critical alert</numerusform>
            <numerusform>%n critical alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsIndicator</name>
    <message numerus="yes">
        <source>%n active alerts</source>
        <translation>
            <numerusform>%n active alert</numerusform>
            <numerusform>%n active alerts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::AlertsPanel</name>
    <message numerus="yes">
        <source>%n active</source>
        <translation>
            <numerusform>%n active</numerusform>
            <numerusform>%n active</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::ConnectionsPane</name>
    <message numerus="yes">
        <source>last probe %1, next %2 (%n probe(s) so far)</source>
        <translation>
            <numerusform>last probe %1, next %2 (%n probe so far)</numerusform>
            <numerusform>last probe %1, next %2 (%n probes so far)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Connect all: %n connected</source>
        <translation>
            <numerusform>Connect all: %n connected</numerusform>
            <numerusform>Connect all: %n connected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Connect all: %n connected; not connected: %1</source>
        <translation>
            <numerusform>Connect all: %n connected; not connected: %1</numerusform>
            <numerusform>Connect all: %n connected; not connected: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Close all %n link(s)? Monitoring of every host stops, and watched hosts stay disconnected until you connect them or GPU Deck starts again.</source>
        <translation>
            <numerusform>Close the link? Monitoring of every host stops, and watched hosts stay disconnected until you connect them or GPU Deck starts again.</numerusform>
            <numerusform>Close all %n links? Monitoring of every host stops, and watched hosts stay disconnected until you connect them or GPU Deck starts again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Disconnected %n host(s)</source>
        <translation>
            <numerusform>Disconnected %n host</numerusform>
            <numerusform>Disconnected %n hosts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::JobsPane</name>
    <message numerus="yes">
        <source>Delete the project %1 and its %n job(s)?</source>
        <translation>
            <numerusform>Delete the project %1 and its %n job?</numerusform>
            <numerusform>Delete the project %1 and its %n jobs?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::ModelsPane</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gpudeck::WakeDialog</name>
    <message numerus="yes">
        <source>%1 s of %2 s · %n packet(s) sent to %3</source>
        <translation>
            <numerusform>%1 s of %2 s · %n packet sent to %3</numerusform>
            <numerusform>%1 s of %2 s · %n packets sent to %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) sent</source>
        <translation>
            <numerusform>%n packet sent</numerusform>
            <numerusform>%n packets sent</numerusform>
        </translation>
    </message>
</context>
</TS>
