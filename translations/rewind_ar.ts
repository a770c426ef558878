<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar_EG">
<context>
    <name>ApprovalList</name>
    <message>
        <source>Rollback #%1</source>
        <translation>التراجع رقم %1</translation>
    </message>
    <message>
        <source>Approvals: %1 of %2</source>
        <translation>الموافقات: %1 من %2</translation>
    </message>
    <message>
        <source>Requested by %1 at %2: %3</source>
        <translation>طلبه %1 الساعة %2: %3</translation>
    </message>
    <message>
        <source>Approved by %1</source>
        <translation>تمت الموافقة من قِبل %1</translation>
    </message>
    <message>
        <source>Expires at %1</source>
        <translation>تنتهي صلاحيته الساعة %1</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>تعليق (اختياري)</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>موافقة</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>رفض</translation>
    </message>
    <message>
        <source>No rollback waits for approval</source>
        <translation>لا توجد عمليات تراجع بانتظار الموافقة</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>سجل التدقيق</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>الإدخالات: %1</translation>
    </message>
    <message>
        <source>Search: user, action, target…</source>
        <translation>بحث: المستخدم، الإجراء، الهدف…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تحديث</translation>
    </message>
    <message>
        <source>When</source>
        <translation>الوقت</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>المستخدم</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>الإجراء</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>الهدف</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>No entries</source>
        <translation>لا توجد إدخالات</translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>No data in this period</source>
        <translation>لا توجد بيانات في هذه الفترة</translation>
    </message>
</context>
<context>
    <name>GraphPage</name>
    <message>
        <source>Dependencies</source>
        <translation>التبعيات</translation>
    </message>
    <message>
        <source>Selected: %1</source>
        <translation>المحدد: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>فتح</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>ملاءمة العرض</translation>
    </message>
</context>
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
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <translation>السجل</translation>
    </message>
    <message>
        <source>Incidents (%1)</source>
        <translation>الحوادث (%1)</translation>
    </message>
    <message>
        <source>Rollbacks (%1)</source>
        <translation>عمليات التراجع (%1)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تحديث</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <source>open</source>
        <translation>مفتوحة</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>No incidents</source>
        <translation>لا توجد حوادث</translation>
    </message>
    <message>
        <source>Rollback #%1</source>
        <translation>التراجع رقم %1</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 s</source>
        <translation>%1 · %2 · %3 ثانية</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No rollbacks</source>
        <translation>لا توجد عمليات تراجع</translation>
    </message>
    <message>
        <source>Incident #%1</source>
        <translation>الحادثة رقم %1</translation>
    </message>
    <message>
        <source>Opened %1, %2</source>
        <translation>فُتحت في %1، %2</translation>
    </message>
    <message>
        <source>still open</source>
        <translation>لا تزال مفتوحة</translation>
    </message>
    <message>
        <source>closed %1</source>
        <translation>أُغلقت في %1</translation>
    </message>
    <message>
        <source>Save report as PDF…</source>
        <translation>حفظ التقرير بصيغة PDF…</translation>
    </message>
    <message>
        <source>Rollbacks: %1</source>
        <translation>عمليات التراجع: %1</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>التسلسل الزمني</translation>
    </message>
    <message>
        <source>%1 — %2 (%3): %4</source>
        <translation>%1 — %2 (%3): %4</translation>
    </message>
    <message>
        <source>Preserved logs</source>
        <translation>السجلات المحفوظة</translation>
    </message>
    <message>
        <source>%1: %2 (%3 bytes%4)</source>
        <translation>%1: %2 (%3 بايت%4)</translation>
    </message>
    <message>
        <source>, truncated</source>
        <translation>، مقتطَع</translation>
    </message>
    <message>
        <source>Add a note: root cause, action items…</source>
        <translation>أضف ملاحظة: السبب الجذري، الإجراءات المطلوبة…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>إضافة ملاحظة</translation>
    </message>
    <message>
        <source>%1, requested by %2: %3</source>
        <translation>%1، بطلب من %2: %3</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>الموافقات</translation>
    </message>
    <message>
        <source>%1 %2 at %3 %4</source>
        <translation>%1 %2 الساعة %3 %4</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>الخطوات</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ملي ثانية</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>ملفات PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>تم الحفظ: %1</translation>
    </message>
    <message>
        <source>Could not save the report: %1</source>
        <translation>تعذّر حفظ التقرير: %1</translation>
    </message>
</context>
<context>
    <name>IncidentReport</name>
    <message>
        <source>T: time since %1 %2 was deployed (%3).</source>
        <translation>T: الوقت المنقضي منذ نشر %1 %2 (%3).</translation>
    </message>
    <message>
        <source>T: time since the incident was opened (%1).</source>
        <translation>T: الوقت المنقضي منذ فتح الحادثة (%1).</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>الخدمات</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>الخطورة</translation>
    </message>
    <message>
        <source>State</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>مفتوحة</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>فُتحت في</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>ليس بعد</translation>
    </message>
    <message>
        <source>Open for</source>
        <translation>مدة بقائها مفتوحة</translation>
    </message>
    <message>
        <source>rule %1 (%2) for %3 at %4</source>
        <translation>القاعدة %1 (%2) للخدمة %3 الساعة %4</translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation>اكتُشفت بواسطة</translation>
    </message>
    <message>
        <source>#%1 %2, %3</source>
        <translation>#%1 %2، %3</translation>
    </message>
    <message>
        <source>%1: %2 from deploy to restored</source>
        <translation>%1: %2 من النشر حتى الاستعادة</translation>
    </message>
    <message>
        <source>Rolled back</source>
        <translation>الإصدارات المُتراجَع عنها</translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation>عمليات التراجع</translation>
    </message>
    <message>
        <source>Time to restore</source>
        <translation>وقت الاستعادة</translation>
    </message>
    <message>
        <source>Report covers</source>
        <translation>الفترة التي يغطيها التقرير</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>من %1 إلى %2</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>التسلسل الزمني</translation>
    </message>
    <message>
        <source>Nothing was recorded.</source>
        <translation>لم يُسجَّل أي شيء.</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>الوقت (UTC)</translation>
    </message>
    <message>
        <source>T</source>
        <translation>T</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>الحدث</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>%1 deployed</source>
        <translation>نشر %1</translation>
    </message>
    <message>
        <source>rollback #%1</source>
        <translation>التراجع رقم %1</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <source>durations</source>
        <translation>المدد</translation>
    </message>
    <message>
        <source>ratios</source>
        <translation>النسب</translation>
    </message>
    <message>
        <source>rates</source>
        <translation>المعدلات</translation>
    </message>
    <message>
        <source>values</source>
        <translation>القيم</translation>
    </message>
    <message>
        <source>Metrics around the incident</source>
        <translation>المقاييس حول وقت الحادثة</translation>
    </message>
    <message>
        <source>This server keeps no metric history, so there are no charts.</source>
        <translation>لا يحتفظ هذا الخادم بسجل للمقاييس، لذا لا توجد رسوم بيانية.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: what the rules compare (%2)</source>
        <translation>%1: ما تقارنه القواعد (%2)</translation>
    </message>
    <message>
        <source>%1: measured %2</source>
        <translation>%1: القياسات (%2)</translation>
    </message>
    <message>
        <source>No metric of these services was recorded in this period.</source>
        <translation>لم يُسجَّل أي مقياس لهذه الخدمات في هذه الفترة.</translation>
    </message>
    <message>
        <source>What fired</source>
        <translation>القواعد التي انطلقت</translation>
    </message>
    <message>
        <source>No rule fired: the rollbacks were requested by people or CI.</source>
        <translation>لم تنطلق أي قاعدة: طلب عمليات التراجع أشخاص أو نظام CI.</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>القاعدة</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>الخدمة</translation>
    </message>
    <message>
        <source>Fired (UTC)</source>
        <translation>وقت الانطلاق (UTC)</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>وقت الحل</translation>
    </message>
    <message>
        <source>Values when it fired</source>
        <translation>القيم عند الانطلاق</translation>
    </message>
    <message>
        <source>(no values recorded)</source>
        <translation>(لم تُسجَّل أي قيم)</translation>
    </message>
    <message>
        <source>when: %1</source>
        <translation>الشرط: %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1، %2</translation>
    </message>
    <message>
        <source>still firing</source>
        <translation>لا تزال منطلقة</translation>
    </message>
    <message>
        <source>Rollback #%1: %2</source>
        <translation>التراجع رقم %1: %2</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>المُحفِّز</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>مقدّم الطلب</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>الفئة</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>وقت التخطيط</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>وقت الانتهاء</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>المدة</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>النتيجة</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>الموافقات</translation>
    </message>
    <message>
        <source>%1 needed, %2 given</source>
        <translation>المطلوبة: %1، الممنوحة: %2</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>غير مطلوبة</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>الأهداف</translation>
    </message>
    <message>
        <source>From</source>
        <translation>من</translation>
    </message>
    <message>
        <source>To</source>
        <translation>إلى</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>الاستراتيجية</translation>
    </message>
    <message>
        <source>After</source>
        <translation>بعد</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>الخطوات</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>الخطوة</translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation>البدء (UTC)</translation>
    </message>
    <message>
        <source>Finished, took</source>
        <translation>الانتهاء، المدة</translation>
    </message>
    <message>
        <source>%1 attempts</source>
        <translation>عدد المحاولات: %1</translation>
    </message>
    <message>
        <source>compensating</source>
        <translation>خطوة تعويضية</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>الشخص</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>القرار</translation>
    </message>
    <message>
        <source>At (UTC)</source>
        <translation>الوقت (UTC)</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>التعليق</translation>
    </message>
    <message>
        <source>Preserved logs</source>
        <translation>السجلات المحفوظة</translation>
    </message>
    <message>
        <source>Rollback #%1, %2 bytes archived</source>
        <translation>التراجع رقم %1، أُرشِف %2 بايت</translation>
    </message>
    <message>
        <source> (the source was longer and was cut when archived)</source>
        <translation> (كان المصدر أطول فاقتُطع عند الأرشفة)</translation>
    </message>
    <message>
        <source>; its last %1 lines:</source>
        <translation>؛ آخر %1 من أسطره:</translation>
    </message>
    <message>
        <source>; all of it:</source>
        <translation>؛ كاملًا:</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(فارغ)</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>الملاحظات</translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation>لا توجد ملاحظات.</translation>
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
        <translation>الأشخاص المعنيون</translation>
    </message>
    <message>
        <source>Nobody is recorded.</source>
        <translation>لم يُسجَّل أي شخص.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Took part as</source>
        <translation>طبيعة المشاركة</translation>
    </message>
    <message>
        <source>rewind (Rewind itself)</source>
        <translation>rewind (Rewind نفسه)</translation>
    </message>
    <message>
        <source>Incident #%1: %2</source>
        <translation>الحادثة رقم %1: %2</translation>
    </message>
    <message>
        <source>Rewind incident report</source>
        <translation>تقرير حادثة من Rewind</translation>
    </message>
    <message>
        <source>Generated %1 by %2</source>
        <translation>أُنشئ في %1 بواسطة %2</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>الصفحة %1 من %2</translation>
    </message>
    <message>
        <source>PDF reports need a graphical application (fonts); this process has none</source>
        <translation>تتطلب تقارير PDF تطبيقًا رسوميًا (للخطوط)؛ وهذه العملية ليست كذلك</translation>
    </message>
    <message>
        <source>no output device</source>
        <translation>لا يوجد جهاز إخراج</translation>
    </message>
    <message>
        <source>cannot open the output: %1</source>
        <translation>تعذّر فتح الإخراج: %1</translation>
    </message>
    <message>
        <source>the output is not writable</source>
        <translation>الإخراج غير قابل للكتابة</translation>
    </message>
    <message>
        <source>Incident report</source>
        <translation>تقرير الحادثة</translation>
    </message>
    <message>
        <source>cannot start the PDF</source>
        <translation>تعذّر بدء ملف PDF</translation>
    </message>
    <message>
        <source>cannot add a page to the PDF</source>
        <translation>تعذّرت إضافة صفحة إلى ملف PDF</translation>
    </message>
    <message>
        <source>cannot finish the PDF</source>
        <translation>تعذّر إكمال ملف PDF</translation>
    </message>
    <message>
        <source>the report data has no incident</source>
        <translation>لا تحتوي بيانات التقرير على أي حادثة</translation>
    </message>
    <message>
        <source>the report data is not valid JSON: %1</source>
        <translation>بيانات التقرير ليست JSON صالحًا: %1</translation>
    </message>
    <message>
        <source>the report data is not a JSON object</source>
        <translation>بيانات التقرير ليست كائن JSON</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>إلى %1</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>بواسطة %1</translation>
    </message>
    <message>
        <source>pipeline %1</source>
        <translation>خط النشر %1</translation>
    </message>
    <message>
        <source>%1 %2 deployed</source>
        <translation>نُشر %1 %2</translation>
    </message>
    <message>
        <source>%1 %2 verified</source>
        <translation>تم التحقق من %1 %2</translation>
    </message>
    <message>
        <source>Incident #%1 opened</source>
        <translation>فُتحت الحادثة رقم %1</translation>
    </message>
    <message>
        <source>Rule %1 fired for %2</source>
        <translation>انطلقت القاعدة %1 للخدمة %2</translation>
    </message>
    <message>
        <source>Rule %1 resolved for %2</source>
        <translation>حُلّت القاعدة %1 للخدمة %2</translation>
    </message>
    <message>
        <source>Rollback #%1 of %2 planned</source>
        <translation>خُطِّط للتراجع رقم %1 عن %2</translation>
    </message>
    <message>
        <source>class %1, trigger %2, requested by %3</source>
        <translation>الفئة %1، المُحفِّز %2، بطلب من %3</translation>
    </message>
    <message>
        <source>Rollback #%1 rejected by %2</source>
        <translation>رفض %2 التراجع رقم %1</translation>
    </message>
    <message>
        <source>Rollback #%1 approved by %2</source>
        <translation>وافق %2 على التراجع رقم %1</translation>
    </message>
    <message>
        <source>Step %1 started: %2</source>
        <translation>بدأت الخطوة %1: %2</translation>
    </message>
    <message>
        <source>Step %1 %2: %3</source>
        <translation>الخطوة %1 %2: %3</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>استغرق %1</translation>
    </message>
    <message>
        <source>took %1: %2</source>
        <translation>استغرق %1: %2</translation>
    </message>
    <message>
        <source>Rollback #%1 %2</source>
        <translation>التراجع رقم %1 %2</translation>
    </message>
    <message>
        <source>Note by %1</source>
        <translation>ملاحظة من %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Incident #%1 closed</source>
        <translation>أُغلقت الحادثة رقم %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ملي ثانية</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 ثانية</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 دقيقة %2 ثانية</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 ساعة %2 دقيقة</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>لا توجد بيانات</translation>
    </message>
    <message>
        <source>true</source>
        <translation>صحيح</translation>
    </message>
    <message>
        <source>false</source>
        <translation>خطأ</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1٪</translation>
    </message>
    <message>
        <source>deployed a release</source>
        <translation>نشر إصدارًا</translation>
    </message>
    <message>
        <source>requested a rollback</source>
        <translation>طلب التراجع</translation>
    </message>
    <message>
        <source>approved a rollback</source>
        <translation>وافق على التراجع</translation>
    </message>
    <message>
        <source>rejected a rollback</source>
        <translation>رفض التراجع</translation>
    </message>
    <message>
        <source>wrote a note</source>
        <translation>كتب ملاحظة</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>System language</source>
        <translation>لغة النظام</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Rewind — %1 on %2</source>
        <translation>Rewind — %1 على %2</translation>
    </message>
    <message>
        <source>Rewind</source>
        <translation>Rewind</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>نظرة عامة</translation>
    </message>
    <message>
        <source>Dependencies</source>
        <translation>التبعيات</translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation>عمليات التراجع</translation>
    </message>
    <message>
        <source>History</source>
        <translation>السجل</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>سجل التدقيق</translation>
    </message>
    <message>
        <source>Pending approvals: %1</source>
        <translation>الموافقات المعلّقة: %1</translation>
    </message>
    <message>
        <source>Notifications (%1)</source>
        <translation>الإشعارات (%1)</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>الإشعارات</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>فاتح</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>داكن</translation>
    </message>
    <message>
        <source>Switch light or dark theme</source>
        <translation>التبديل بين السمة الفاتحة والداكنة</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
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
        <translation>ملي ثانية</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>/ثانية</translation>
    </message>
    <message>
        <source>%1 — now %2</source>
        <translation>%1 — الآن %2</translation>
    </message>
</context>
<context>
    <name>NotificationsDrawer</name>
    <message>
        <source>Notifications</source>
        <translation>الإشعارات</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Nothing new</source>
        <translation>لا جديد</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>نظرة عامة</translation>
    </message>
    <message>
        <source>All environments</source>
        <translation>كل البيئات</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>البيئة</translation>
    </message>
    <message>
        <source>Search services</source>
        <translation>البحث في الخدمات</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>الخدمات</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>سليمة</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>متدهورة</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>متعطلة</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>بلا بيانات</translation>
    </message>
    <message>
        <source>Rules firing</source>
        <translation>قواعد منطلقة</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>مجمّدة</translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation>لا توجد خدمات بعد</translation>
    </message>
    <message>
        <source>No service matches</source>
        <translation>لا توجد خدمة مطابقة</translation>
    </message>
</context>
<context>
    <name>PlanView</name>
    <message>
        <source>Plan (%1)</source>
        <translation>الخطة (%1)</translation>
    </message>
    <message>
        <source>Needs %1 approval(s) before it runs</source>
        <translation>الموافقات اللازمة قبل التنفيذ: %1</translation>
    </message>
    <message>
        <source>%1: %2 → %3 (%4)</source>
        <translation>%1: %2 → %3 (%4)</translation>
    </message>
    <message>
        <source>(only if a step fails)</source>
        <translation>(فقط إذا فشلت إحدى الخطوات)</translation>
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
    <message>
        <source>Abort</source>
        <translation>إيقاف</translation>
    </message>
    <message>
        <source>aborted from the dashboard</source>
        <translation>أُوقف من لوحة التحكم</translation>
    </message>
</context>
<context>
    <name>RollbacksPage</name>
    <message>
        <source>Waiting for approval</source>
        <translation>بانتظار الموافقة</translation>
    </message>
    <message>
        <source>Request a rollback</source>
        <translation>طلب تراجع</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>الفئة</translation>
    </message>
    <message>
        <source>fast: these services</source>
        <translation>fast: هذه الخدمات فقط</translation>
    </message>
    <message>
        <source>immediate: with unverified neighbours</source>
        <translation>immediate: مع الخدمات المجاورة غير المُتحقَّق منها</translation>
    </message>
    <message>
        <source>gradual: traffic back in steps</source>
        <translation>gradual: إعادة حركة المرور على مراحل</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>السبب (مطلوب)</translation>
    </message>
    <message>
        <source>Show plan</source>
        <translation>عرض الخطة</translation>
    </message>
    <message>
        <source>Request rollback</source>
        <translation>طلب التراجع</translation>
    </message>
    <message>
        <source>Recent rollbacks (%1)</source>
        <translation>عمليات التراجع الأخيرة (%1)</translation>
    </message>
</context>
<context>
    <name>ServiceCard</name>
    <message>
        <source>%1, %2</source>
        <translation>%1، %2</translation>
    </message>
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
        <source>Deployments frozen until %1</source>
        <translation>عمليات النشر مجمّدة حتى %1</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>1 min</source>
        <translation>دقيقة واحدة</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 دقائق</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15 دقيقة</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>ساعة واحدة</translation>
    </message>
    <message>
        <source>6 h</source>
        <translation>6 ساعات</translation>
    </message>
    <message>
        <source>Request rollback…</source>
        <translation>طلب التراجع…</translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation>يتطلب دور operator في %1</translation>
    </message>
    <message>
        <source>%1 · %2 · strategy %3 · current %4 · last good %5</source>
        <translation>%1 · %2 · الاستراتيجية %3 · الحالي %4 · آخر إصدار سليم %5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>لا شيء</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>لم يُسجَّل شيء</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>لا يوجد بعد</translation>
    </message>
    <message>
        <source>Firing since %1: %2 (%3) — %4</source>
        <translation>منطلقة منذ %1: %2 (%3) — %4</translation>
    </message>
    <message>
        <source>Deployments frozen until %1: %2</source>
        <translation>عمليات النشر مجمّدة حتى %1: %2</translation>
    </message>
    <message>
        <source>Loading metrics…</source>
        <translation>جارٍ تحميل المقاييس…</translation>
    </message>
    <message>
        <source>No metrics recorded yet</source>
        <translation>لم تُسجَّل أي مقاييس بعد</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to a Rewind server</source>
        <translation>تسجيل الدخول إلى خادم Rewind</translation>
    </message>
    <message>
        <source>Server, e.g. 127.0.0.1:8470 or https://rewind.example.com</source>
        <translation>الخادم، مثل 127.0.0.1:8470 أو https://rewind.example.com</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>رمز API</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>اسم المستخدم</translation>
    </message>
    <message>
        <source>rwd_… token</source>
        <translation>رمز rwd_…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>جارٍ تسجيل الدخول…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
</context>
<context>
    <name>rwd::client::Commands</name>
    <message>
        <source>another command is still running</source>
        <translation>لا يزال أمر آخر قيد التنفيذ</translation>
    </message>
    <message>
        <source>dry run</source>
        <translation>تشغيل تجريبي</translation>
    </message>
</context>
<context>
    <name>rwd::client::DependencyGraph</name>
    <message>
        <source>planned</source>
        <translation>مُخطَّط</translation>
    </message>
    <message>
        <source>awaiting approval</source>
        <translation>بانتظار الموافقة</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>تمت الموافقة</translation>
    </message>
    <message>
        <source>running</source>
        <translation>قيد التنفيذ</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>قيد التحقق</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>نجح</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>فشل</translation>
    </message>
    <message>
        <source>aborted</source>
        <translation>أُوقف</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>يحتاج إلى تدخل</translation>
    </message>
    <message>
        <source>no release</source>
        <translation>لا يوجد إصدار</translation>
    </message>
    <message>
        <source>No services yet</source>
        <translation>لا توجد خدمات بعد</translation>
    </message>
    <message>
        <source>No services in %1</source>
        <translation>لا توجد خدمات في %1</translation>
    </message>
    <message>
        <source>Rollback #%1 · %2 · %3 of %4 services rolled back</source>
        <translation>التراجع رقم %1 · %2 · تم التراجع عن %3 من أصل %4 خدمات</translation>
    </message>
</context>
<context>
    <name>rwd::client::NotificationModel</name>
    <message>
        <source>Rollback #%1 awaits approval</source>
        <translation>التراجع رقم %1 بانتظار الموافقة</translation>
    </message>
    <message>
        <source>%1 — requested by %2: %3</source>
        <translation>%1 — بطلب من %2: %3</translation>
    </message>
    <message>
        <source>%1 approved rollback #%2</source>
        <translation>وافق %1 على التراجع رقم %2</translation>
    </message>
    <message>
        <source>%1 rejected rollback #%2</source>
        <translation>رفض %1 التراجع رقم %2</translation>
    </message>
    <message>
        <source>Rollback #%1 succeeded</source>
        <translation>نجح التراجع رقم %1</translation>
    </message>
    <message>
        <source>Rollback #%1 failed</source>
        <translation>فشل التراجع رقم %1</translation>
    </message>
    <message>
        <source>Rollback #%1 needs attention</source>
        <translation>التراجع رقم %1 يحتاج إلى تدخل</translation>
    </message>
    <message>
        <source>Rollback #%1 was aborted</source>
        <translation>أُوقف التراجع رقم %1</translation>
    </message>
</context>
<context>
    <name>rwd::client::PendingApprovalModel</name>
    <message>
        <source>It no longer waits for approval</source>
        <translation>لم يعد بانتظار الموافقة</translation>
    </message>
    <message>
        <source>Sign in to decide</source>
        <translation>سجّل الدخول لاتخاذ القرار</translation>
    </message>
    <message>
        <source>You requested this rollback; someone else must approve it</source>
        <translation>أنت من طلب هذا التراجع؛ يجب أن يوافق عليه شخص آخر</translation>
    </message>
    <message>
        <source>You have already decided (%1)</source>
        <translation>لقد اتخذت قرارك بالفعل (%1)</translation>
    </message>
    <message>
        <source>The request has expired</source>
        <translation>انتهت صلاحية الطلب</translation>
    </message>
    <message>
        <source>Approving in %1 needs an approver role there</source>
        <translation>تتطلب الموافقة في %1 دور approver في تلك البيئة</translation>
    </message>
</context>
<context>
    <name>rwd::client::ServiceListModel</name>
    <message>
        <source>%1: %2 of %3 samples failed (%4%)</source>
        <translation>%1: فشلت %2 من %3 عينات (%4%)</translation>
    </message>
    <message>
        <source>%1: %2 of %3 samples</source>
        <translation>%1: %2 من %3 عينات</translation>
    </message>
    <message>
        <source>Verifying: %1 left; error budget %2%; %3</source>
        <translation>جارٍ التحقق: بقي %1؛ ميزانية الأخطاء %2%؛ %3</translation>
    </message>
    <message>
        <source>Not verified yet: it has nothing to be judged by</source>
        <translation>لم يُتحقق منه بعد: لا شيء يُحكم عليه به</translation>
    </message>
    <message>
        <source>Not verified yet: too few samples to judge (%1)</source>
        <translation>لم يُتحقق منه بعد: العينات أقل من أن يُحكم بها (%1)</translation>
    </message>
    <message>
        <source>Not verified: over the %1% error budget (%2)</source>
        <translation>لم يُتحقق منه: تجاوز ميزانية الأخطاء %1% (%2)</translation>
    </message>
    <message>
        <source>Not verified: rule %1 fired</source>
        <translation>لم يُتحقق منه: انطلقت القاعدة %1</translation>
    </message>
    <message>
        <source>Rewind cannot probe %1: %2</source>
        <translation>لا يستطيع Rewind فحص %1: %2</translation>
    </message>
</context>
<context>
    <name>rwd::client::ServiceMetrics</name>
    <message>
        <source>rollback #%1</source>
        <translation>التراجع رقم %1</translation>
    </message>
</context>
<context>
    <name>rwd::client::Session</name>
    <message>
        <source>“%1” is not a server address (try host:port or https://host:port)</source>
        <translation>«%1» ليس عنوان خادم (جرّب host:port أو https://host:port)</translation>
    </message>
    <message>
        <source>Secure connection to %1 failed: %2</source>
        <translation>فشل الاتصال الآمن بـ %1: %2</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>تعذّر الوصول إلى %1: %2</translation>
    </message>
    <message>
        <source>The session has expired; sign in again</source>
        <translation>انتهت صلاحية الجلسة؛ سجّل الدخول مجددًا</translation>
    </message>
    <message>
        <source>Wrong user name, password or token</source>
        <translation>اسم المستخدم أو كلمة المرور أو الرمز غير صحيح</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: %1</source>
        <translation>محاولات تسجيل دخول فاشلة كثيرة جدًا: %1</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>رفض الخادم الطلب: %1</translation>
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
    <message>
        <source>Rewind dashboard</source>
        <translation>لوحة تحكم Rewind</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>جارٍ تسجيل الدخول…</translation>
    </message>
</context>
<context>
    <name>rwd::web::ChartView</name>
    <message>
        <source>Choose a service.</source>
        <translation>اختر خدمة.</translation>
    </message>
    <message>
        <source>Loading metrics…</source>
        <translation>جارٍ تحميل المقاييس…</translation>
    </message>
    <message>
        <source>No metrics: %1</source>
        <translation>لا مقاييس: %1</translation>
    </message>
    <message>
        <source>No metrics for this service yet.</source>
        <translation>لا مقاييس لهذه الخدمة بعد.</translation>
    </message>
</context>
<context>
    <name>rwd::web::ChartsPage</name>
    <message>
        <source>1 min</source>
        <translation>دقيقة واحدة</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 دقائق</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15 دقيقة</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>ساعة واحدة</translation>
    </message>
    <message>
        <source>6 h</source>
        <translation>6 ساعات</translation>
    </message>
    <message>
        <source>Request rollback…</source>
        <translation>طلب التراجع…</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>الخدمة</translation>
    </message>
    <message>
        <source>%1 in %2 · %3</source>
        <translation>%1 في %2 · %3</translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation>يتطلب دور operator في %1</translation>
    </message>
</context>
<context>
    <name>rwd::web::RequestForm</name>
    <message>
        <source>&lt;b&gt;Request a rollback&lt;/b&gt;</source>
        <translation>&lt;b&gt;طلب تراجع&lt;/b&gt;</translation>
    </message>
    <message>
        <source>fast: these services</source>
        <translation>fast: هذه الخدمات فقط</translation>
    </message>
    <message>
        <source>immediate: with unverified neighbours</source>
        <translation>immediate: مع الخدمات المجاورة غير المُتحقَّق منها</translation>
    </message>
    <message>
        <source>gradual: traffic back in steps</source>
        <translation>gradual: إعادة حركة المرور على مراحل</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>الفئة</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>السبب (مطلوب)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>Show plan</source>
        <translation>عرض الخطة</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>اطلب</translation>
    </message>
    <message>
        <source>Needs the operator role in %1</source>
        <translation>يتطلب دور operator في %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Plan (%1)&lt;/b&gt;</source>
        <translation>&lt;b&gt;الخطة (%1)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Needs %1 approval(s) before it runs</source>
        <translation>الموافقات اللازمة قبل التنفيذ: %1</translation>
    </message>
    <message>
        <source>%1: %2 → %3 (%4)</source>
        <translation>%1: %2 → %3 (%4)</translation>
    </message>
    <message>
        <source>(only if a step fails)</source>
        <translation>(فقط إذا فشلت إحدى الخطوات)</translation>
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
        <translation>تسجيل الدخول إلى Rewind</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>Sign in with an API token</source>
        <translation>تسجيل الدخول برمز API</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>رمز API</translation>
    </message>
    <message>
        <source>User</source>
        <translation>المستخدم</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>داكن</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>الخدمة</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>البيئة</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>الحالة الصحية</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>الإصدار</translation>
    </message>
    <message>
        <source>State</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Last good</source>
        <translation>آخر إصدار سليم</translation>
    </message>
    <message>
        <source>Firing</source>
        <translation>القواعد المنطلقة</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>مجمّدة</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>نظرة عامة</translation>
    </message>
    <message>
        <source>Rollbacks</source>
        <translation>عمليات التراجع</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>المخطط</translation>
    </message>
    <message>
        <source>History</source>
        <translation>السجل</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>الوقت</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>المنفّذ</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>الإجراء</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>الهدف</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>التدقيق</translation>
    </message>
    <message>
        <source>&lt;b&gt;Waiting for approval&lt;/b&gt;</source>
        <translation>&lt;b&gt;بانتظار الموافقة&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Rollback</source>
        <translation>التراجع</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>الخدمات</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>مقدّم الطلب</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>الموافقات</translation>
    </message>
    <message>
        <source>Needed</source>
        <translation>المطلوب</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>تعليق (اختياري)</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>موافقة</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>رفض</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rollbacks&lt;/b&gt;</source>
        <translation>&lt;b&gt;عمليات التراجع&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Steps done</source>
        <translation>الخطوات المنجزة</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>الخطوات</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>الخطوة الحالية</translation>
    </message>
    <message>
        <source>&lt;b&gt;Incidents&lt;/b&gt;</source>
        <translation>&lt;b&gt;الحوادث&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>الحادثة</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>الخطورة</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>فُتحت في</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <source>Download PDF report</source>
        <translation>تنزيل تقرير PDF</translation>
    </message>
    <message>
        <source>Report failed: %1</source>
        <translation>تعذّر التقرير: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rollback history&lt;/b&gt;</source>
        <translation>&lt;b&gt;سجل عمليات التراجع&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>المُحفِّز</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>بدأ في</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>وقت الانتهاء</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Select a rollback to approve or reject it.</source>
        <translation>اختر عملية تراجع للموافقة عليها أو رفضها.</translation>
    </message>
    <message>
        <source>Notifications (%1)</source>
        <translation>الإشعارات (%1)</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>الإشعارات</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>التحقق</translation>
    </message>
</context>
</TS>
