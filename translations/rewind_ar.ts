<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar_EG">
<context>
    <name>HealthBadge</name>
    <message>
        <source>healthy</source>
        <translation>سليم</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>متدهور</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>متعطل</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>لا توجد بيانات</translation>
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
        <translation>غير متصل</translation>
    </message>
    <message>
        <source>Server, e.g. 127.0.0.1:8470</source>
        <translation>الخادم، مثل 127.0.0.1:8470</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>اتصال</translation>
    </message>
    <message>
        <source>Services (%1)</source>
        <translation>الخدمات (%1)</translation>
    </message>
    <message>
        <source>Rollbacks (%1)</source>
        <translation>عمليات التراجع (%1)</translation>
    </message>
</context>
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation>RTL</translation>
    </message>
</context>
<context>
    <name>RollbackList</name>
    <message>
        <source>Rollback #%1</source>
        <translation>التراجع رقم %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ملي ثانية</translation>
    </message>
    <message>
        <source>Took %1 s</source>
        <translation>استغرق %1 ثانية</translation>
    </message>
    <message>
        <source>No rollbacks</source>
        <translation>لا توجد عمليات تراجع</translation>
    </message>
</context>
<context>
    <name>ServiceList</name>
    <message>
        <source>Current</source>
        <translation>الحالي</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>لم يُسجَّل شيء</translation>
    </message>
    <message>
        <source>Last good</source>
        <translation>آخر إصدار سليم</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>لا يوجد بعد</translation>
    </message>
    <message>
        <source>Firing: %1</source>
        <translation>قواعد منطلقة: %1</translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation>لا توجد خدمات بعد</translation>
    </message>
</context>
<context>
    <name>rwd::dashboard::DashboardApp</name>
    <message>
        <source>Disconnected</source>
        <translation>غير متصل</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>متصل</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>جارٍ إعادة الاتصال…</translation>
    </message>
</context>
</TS>
