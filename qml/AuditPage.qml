import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// The audit log (admins): every command and change of state, who, when, from where; newest
// first, searchable.
Page {
    id: root
    objectName: "auditPage"
    padding: 16

    header: Pane {
        padding: 16
        bottomPadding: 4
        RowLayout {
            width: parent.width
            Label { text: qsTr("Audit log"); font.pixelSize: 22; font.bold: true }
            Label { text: qsTr("%1 entries").arg(Dashboard.audit.count); opacity: 0.7 }
            Item { Layout.fillWidth: true }
            TextField {
                Layout.preferredWidth: 260
                placeholderText: qsTr("Search: user, action, target…")
                selectByMouse: true
                onTextChanged: Dashboard.audit.search = text
            }
            Button { text: qsTr("Refresh"); onClicked: Dashboard.audit.refresh() }
        }
    }

    ListView {
        id: list
        objectName: "auditList"
        anchors.fill: parent
        clip: true
        model: Dashboard.audit
        ScrollBar.vertical: ScrollBar {}
        header: RowLayout {
            width: list.width
            spacing: 12
            Label { text: qsTr("When"); font.bold: true; Layout.preferredWidth: 150 }
            Label { text: qsTr("Who"); font.bold: true; Layout.preferredWidth: 110 }
            Label { text: qsTr("Action"); font.bold: true; Layout.preferredWidth: 190 }
            Label { text: qsTr("Target"); font.bold: true; Layout.preferredWidth: 140 }
            Label { text: qsTr("Details"); font.bold: true; Layout.fillWidth: true }
        }
        delegate: RowLayout {
            required property var at
            required property string actor
            required property string source
            required property string action
            required property string target
            required property string details
            width: ListView.view.width
            spacing: 12
            Label { text: Qt.formatDateTime(at, "yyyy-MM-dd HH:mm:ss"); Layout.preferredWidth: 150 }
            Label { text: source === "" ? actor : actor + " @" + source; Layout.preferredWidth: 110; elide: Text.ElideRight }
            Label { text: action; Layout.preferredWidth: 190; elide: Text.ElideRight }
            Label { text: target; Layout.preferredWidth: 140; elide: Text.ElideRight }
            Label { text: details; Layout.fillWidth: true; elide: Text.ElideRight; opacity: 0.75 }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            opacity: 0.6
            text: Dashboard.audit.loading ? qsTr("Loading…")
                  : Dashboard.audit.errorString !== "" ? Dashboard.audit.errorString : qsTr("No entries")
        }
    }
}
