import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Rewind.Core

// Incidents and rollbacks, searchable, with a detail pane: an incident's timeline of notes, its
// rollbacks and preserved logs, a note field and the PDF report; a rollback's steps and
// approvals.
Page {
    id: root
    objectName: "historyPage"
    padding: 16

    property int selectedIncident: -1
    property int selectedRollback: -1
    readonly property var incident: { Dashboard.incidents.count; return selectedIncident >= 0 ? Dashboard.incidents.get(selectedIncident) : ({}) }
    readonly property var rollback: { Dashboard.history.count; return selectedRollback >= 0 ? Dashboard.history.get(selectedRollback) : ({}) }

    header: Pane {
        padding: 16
        bottomPadding: 4
        RowLayout {
            width: parent.width
            Label { text: qsTr("History"); font.pixelSize: 22; font.bold: true }
            TabBar {
                id: tabs
                TabButton { text: qsTr("Incidents (%1)").arg(Dashboard.incidents.count); width: implicitWidth }
                TabButton { objectName: "rollbackHistoryTab"; text: qsTr("Rollbacks (%1)").arg(Dashboard.history.count); width: implicitWidth }
            }
            Item { Layout.fillWidth: true }
            TextField {
                objectName: "historySearch"
                Layout.preferredWidth: 260
                placeholderText: qsTr("Search")
                selectByMouse: true
                onTextChanged: {
                    Dashboard.incidents.search = text
                    Dashboard.history.search = text
                    root.selectedIncident = -1
                    root.selectedRollback = -1
                }
            }
            Button { text: qsTr("Refresh"); onClicked: Dashboard.refreshLists() }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 16

        StackLayout {
            Layout.fillHeight: true
            Layout.preferredWidth: 2
            Layout.fillWidth: true
            currentIndex: tabs.currentIndex

            ListView {
                id: incidentList
                objectName: "incidentList"
                clip: true
                spacing: 4
                model: Dashboard.incidents
                delegate: ItemDelegate {
                    // Context properties (model.…): the rows' "id" cannot be a property name.
                    width: ListView.view.width
                    highlighted: root.selectedIncident === index
                    onClicked: root.selectedIncident = index
                    contentItem: ColumnLayout {
                        RowLayout {
                            Label { text: qsTr("#%1 %2").arg(model.id).arg(model.title); font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight }
                            Label { text: model.open ? qsTr("open") : qsTr("closed"); color: model.open ? "#c62828" : "#2e7d32" }
                        }
                        Label {
                            text: qsTr("%1 · %2 · %3").arg(Qt.formatDateTime(model.openedAt, "yyyy-MM-dd HH:mm")).arg(model.severity).arg(model.services.join(", "))
                            opacity: 0.7
                        }
                    }
                }
                Label { anchors.centerIn: parent; visible: incidentList.count === 0; text: qsTr("No incidents"); opacity: 0.6 }
            }

            ListView {
                id: rollbackList
                objectName: "rollbackHistoryList"
                clip: true
                spacing: 4
                model: Dashboard.history
                delegate: ItemDelegate {
                    width: ListView.view.width
                    highlighted: root.selectedRollback === index
                    onClicked: root.selectedRollback = index
                    contentItem: ColumnLayout {
                        RowLayout {
                            Label { text: qsTr("Rollback #%1").arg(model.id); font.bold: true }
                            StateBadge { state: model.state }
                            Item { Layout.fillWidth: true }
                            Label { text: Qt.formatDateTime(model.createdAt, "yyyy-MM-dd HH:mm:ss"); opacity: 0.7 }
                        }
                        Label {
                            text: model.durationMs > 0 ? qsTr("%1 · %2 · %3 s").arg(model.summary).arg(model.trigger).arg((model.durationMs / 1000).toFixed(1))
                                                       : qsTr("%1 · %2").arg(model.summary).arg(model.trigger)
                            opacity: 0.7
                        }
                    }
                }
                Label { anchors.centerIn: parent; visible: rollbackList.count === 0; text: qsTr("No rollbacks"); opacity: 0.6 }
            }
        }

        // Detail of the selection.
        ScrollView {
            Layout.fillHeight: true
            Layout.fillWidth: true
            Layout.preferredWidth: 3
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                width: parent.width
                spacing: 8
                visible: tabs.currentIndex === 0 && root.incident.id !== undefined

                Label { text: qsTr("Incident #%1").arg(root.incident.id ?? ""); font.pixelSize: 18; font.bold: true }
                Label { text: root.incident.title ?? ""; wrapMode: Text.Wrap; Layout.fillWidth: true }
                Label {
                    opacity: 0.75
                    text: root.incident.openedAt === undefined ? "" : qsTr("Opened %1, %2").arg(Qt.formatDateTime(root.incident.openedAt, "yyyy-MM-dd HH:mm:ss"))
                          .arg(root.incident.open ? qsTr("still open") : qsTr("closed %1").arg(Qt.formatDateTime(root.incident.closedAt, "yyyy-MM-dd HH:mm:ss")))
                }
                RowLayout {
                    Button {
                        objectName: "saveReportButton"
                        text: qsTr("Save report as PDF…")
                        onClicked: reportDialog.open()
                    }
                    Label { id: reportResult; Layout.fillWidth: true; wrapMode: Text.Wrap }
                }
                Label { text: qsTr("Rollbacks: %1").arg((root.incident.rollbacks ?? []).map(id => "#" + id).join(", ")) }
                Label { text: qsTr("Timeline"); font.bold: true; Layout.topMargin: 8 }
                Repeater {
                    model: root.incident.notes ?? []
                    delegate: Label {
                        required property var modelData
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        text: qsTr("%1 — %2 (%3): %4").arg(Qt.formatDateTime(modelData.at, "HH:mm:ss"))
                              .arg(modelData.author).arg(modelData.kind).arg(modelData.text)
                    }
                }
                Label {
                    visible: (root.incident.logs ?? []).length > 0
                    text: qsTr("Preserved logs"); font.bold: true; Layout.topMargin: 8
                }
                Repeater {
                    model: root.incident.logs ?? []
                    delegate: Label {
                        required property var modelData
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        text: qsTr("%1: %2 (%3 bytes%4)").arg(modelData.service).arg(modelData.source)
                              .arg(modelData.bytes).arg(modelData.truncated ? qsTr(", truncated") : "")
                    }
                }
                TextArea {
                    id: note
                    objectName: "noteField"
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    placeholderText: qsTr("Add a note: root cause, action items…")
                    wrapMode: TextArea.Wrap
                }
                Button {
                    objectName: "addNoteButton"
                    text: qsTr("Add note")
                    enabled: note.text.trim() !== "" && !Dashboard.commands.busy
                    onClicked: { Dashboard.commands.addNote(root.incident.id, note.text); note.text = "" }
                }
            }

            ColumnLayout {
                width: parent.width
                spacing: 6
                visible: tabs.currentIndex === 1 && root.rollback.id !== undefined
                Label { text: qsTr("Rollback #%1").arg(root.rollback.id ?? ""); font.pixelSize: 18; font.bold: true }
                Label { text: root.rollback.summary ?? ""; font.bold: true }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: qsTr("%1, requested by %2: %3").arg(root.rollback.trigger ?? "")
                          .arg(root.rollback.requestedBy ?? "").arg(root.rollback.reason ?? "")
                }
                Label { visible: (root.rollback.message ?? "") !== ""; text: root.rollback.message ?? ""; wrapMode: Text.Wrap; Layout.fillWidth: true }
                Label { text: qsTr("Approvals"); font.bold: true; visible: (root.rollback.approvals ?? []).length > 0 }
                Repeater {
                    model: root.rollback.approvals ?? []
                    delegate: Label {
                        required property var modelData
                        text: qsTr("%1 %2 at %3 %4").arg(modelData.user).arg(modelData.decision)
                              .arg(Qt.formatDateTime(modelData.at, "HH:mm:ss")).arg(modelData.comment)
                    }
                }
                Label { text: qsTr("Steps"); font.bold: true }
                Repeater {
                    model: root.rollback.steps ?? []
                    delegate: RowLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        StateBadge { state: modelData.state }
                        Label { text: modelData.description; Layout.fillWidth: true; elide: Text.ElideRight }
                        Label { text: modelData.durationMs > 0 ? qsTr("%1 ms").arg(modelData.durationMs) : ""; opacity: 0.7 }
                    }
                }
            }
        }
    }

    FileDialog {
        id: reportDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("PDF files (*.pdf)")]
        defaultSuffix: "pdf"
        currentFile: "file:" + Dashboard.reportFileName(root.incident.id ?? 0)
        onAccepted: Dashboard.saveReport(root.incident.id, selectedFile)
    }
    Connections {
        target: Dashboard
        function onReportSaved(ok, path, error) {
            reportResult.text = ok ? qsTr("Saved %1").arg(path) : qsTr("Could not save the report: %1").arg(error)
            reportResult.color = ok ? "#2e7d32" : "#c62828"
        }
    }
}
