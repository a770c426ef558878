import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// Rollbacks: pending approvals with Approve / Reject, a request form that shows the dry-run plan
// first, and every recent rollback step by step, live, with Abort.
Page {
    id: root
    objectName: "rollbacksPage"
    padding: 16

    // The services checked in the request form.
    property var selected: []
    function preselect(names) {
        root.selected = names
        Dashboard.commands.clearPlan()
    }
    function toggle(name, on) {
        const s = root.selected.filter(n => n !== name)
        if (on)
            s.push(name)
        root.selected = s
        Dashboard.commands.clearPlan()
    }

    Connections {
        target: Dashboard.commands
        function onFinished(ok, command, id, error) {
            if (ok && command === "request") {
                root.selected = []
                reason.text = ""
                Dashboard.commands.clearPlan()
            }
            result.text = ok ? "" : error
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 16

        ScrollView {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            Layout.fillWidth: true
            contentWidth: availableWidth
            ColumnLayout {
                width: parent.width
                spacing: 10
                Label { text: qsTr("Waiting for approval"); font.pixelSize: 18; font.bold: true }
                ApprovalList {
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.max(contentHeight, 30)
                    interactive: false
                    model: Dashboard.approvals
                    commands: Dashboard.commands
                }

                Label { text: qsTr("Request a rollback"); font.pixelSize: 18; font.bold: true; Layout.topMargin: 12 }
                Flow {
                    Layout.fillWidth: true
                    spacing: 4
                    Repeater {
                        model: Dashboard.services
                        delegate: CheckBox {
                            required property string name
                            required property string environment
                            objectName: "target-" + name
                            text: name
                            checked: root.selected.indexOf(name) >= 0
                            enabled: Dashboard.session.may("operate", environment)
                            onToggled: root.toggle(name, checked)
                        }
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    Label { text: qsTr("Class") }
                    ComboBox {
                        id: rollbackClass
                        model: [{value: "fast", text: qsTr("fast: these services")},
                                {value: "immediate", text: qsTr("immediate: with unverified neighbours")},
                                {value: "gradual", text: qsTr("gradual: traffic back in steps")}]
                        textRole: "text"
                        valueRole: "value"
                        Layout.fillWidth: true
                        onActivated: Dashboard.commands.clearPlan()
                    }
                }
                TextField {
                    id: reason
                    objectName: "rollbackReason"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Reason (required)")
                }
                RowLayout {
                    Button {
                        objectName: "planButton"
                        text: qsTr("Show plan")
                        enabled: root.selected.length > 0 && !Dashboard.commands.busy
                        onClicked: Dashboard.commands.planRollback(root.selected, reason.text, rollbackClass.currentValue)
                    }
                    Button {
                        objectName: "requestButton"
                        text: qsTr("Request rollback")
                        highlighted: true
                        // The plan is shown before anything is asked for.
                        enabled: root.selected.length > 0 && reason.text.trim() !== ""
                                 && Dashboard.commands.plan.steps !== undefined && !Dashboard.commands.busy
                        onClicked: Dashboard.commands.requestRollback(root.selected, reason.text, rollbackClass.currentValue)
                    }
                }
                Label {
                    id: result
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: "#c62828"
                    visible: text !== ""
                }
                PlanView {
                    Layout.fillWidth: true
                    plan: Dashboard.commands.plan
                    visible: Dashboard.commands.plan.steps !== undefined
                }
            }
        }

        ColumnLayout {
            Layout.fillHeight: true
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Label {
                text: qsTr("Recent rollbacks (%1)").arg(Dashboard.rollbacks.count)
                font.pixelSize: 18
                font.bold: true
            }
            RollbackList {
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: Dashboard.rollbacks
            }
        }
    }
}
