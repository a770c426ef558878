import QtQuick
import QtTest
import Rewind.Dashboard

// The Approve and Reject buttons of ApprovalList are enabled exactly when the signed-in user may
// decide: an approver (or admin) of the rollback's environment, not its requester, not one who
// decided already, and not after it expired. Clicking Approve sends the decision with the
// comment typed.
TestCase {
    id: test
    name: "ApprovalButtons"
    when: windowShown
    visible: true // TestCase is hidden by default; the list is clicked on screen
    width: 600
    height: 400

    // Records the decisions the list asks for, in place of the REST commands.
    QtObject {
        id: recorder
        property bool busy: false
        property var calls: []
        function approve(id, comment) { calls = calls.concat([["approve", id, comment]]) }
        function reject(id, comment) { calls = calls.concat([["reject", id, comment]]) }
    }

    Component {
        id: listComponent
        ApprovalList {
            width: 600
            height: 400
            model: fixture.approvals
            commands: recorder
        }
    }

    function findByName(item, name) {
        if (item.objectName === name)
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = findByName(item.children[i], name)
            if (found)
                return found
        }
        if (item.contentItem && item.contentItem !== item) {
            const found = findByName(item.contentItem, name)
            if (found)
                return found
        }
        return null
    }

    property var list: null

    function init() {
        recorder.calls = []
        recorder.busy = false
        fixture.load()
        list = createTemporaryObject(listComponent, test)
        verify(list)
        tryCompare(list, "count", 1)
    }

    function buttons() {
        const card = findByName(list, "approval-7")
        verify(card, "the card of rollback #7")
        return {approve: findByName(card, "approveButton"), reject: findByName(card, "rejectButton"),
                why: findByName(card, "whyNot"), comment: findByName(card, "approvalComment")}
    }

    function test_roles_data() {
        return [
            {tag: "approver of production", user: "alice", permissions: {production: ["read", "approve"]}, enabled: true, why: ""},
            {tag: "admin of production", user: "dana", permissions: {production: ["read", "operate", "approve", "admin"]}, enabled: true, why: ""},
            {tag: "viewer", user: "victor", permissions: {production: ["read"]}, enabled: false, why: "approver role"},
            {tag: "operator", user: "otto", permissions: {production: ["read", "deploy", "operate"]}, enabled: false, why: "approver role"},
            {tag: "approver of staging only", user: "sam", permissions: {staging: ["read", "approve"], production: ["read"]}, enabled: false, why: "approver role"},
            {tag: "the requester, approver too", user: "bob", permissions: {production: ["read", "operate", "approve"]}, enabled: false, why: "You requested"},
            {tag: "already approved", user: "carol", permissions: {production: ["read", "approve"]}, enabled: false, why: "already decided"},
        ]
    }

    function test_roles(data) {
        fixture.signInAs(data.user, data.permissions)
        const b = buttons()
        compare(b.approve.enabled, data.enabled, "Approve")
        compare(b.reject.enabled, data.enabled, "Reject")
        compare(b.why.visible, !data.enabled)
        if (!data.enabled)
            verify(b.why.text.indexOf(data.why) >= 0, b.why.text)
    }

    function test_expiry() {
        fixture.signInAs("alice", {production: ["read", "approve"]})
        compare(buttons().approve.enabled, true)
        fixture.advanceMinutes(31)
        fixture.approvals.refresh()
        const b = buttons()
        compare(b.approve.enabled, false)
        verify(b.why.text.indexOf("expired") >= 0, b.why.text)
    }

    function test_busy() {
        fixture.signInAs("alice", {production: ["read", "approve"]})
        recorder.busy = true
        compare(buttons().approve.enabled, false)
        recorder.busy = false
        compare(buttons().approve.enabled, true)
    }

    function test_clicks() {
        fixture.signInAs("alice", {production: ["read", "approve"]})
        const b = buttons()
        b.comment.text = "checked the error rate"
        mouseClick(b.approve)
        compare(recorder.calls.length, 1)
        compare(recorder.calls[0], ["approve", 7, "checked the error rate"])
        mouseClick(b.reject)
        compare(recorder.calls.length, 2)
        compare(recorder.calls[1][0], "reject")
    }

    function test_disabledButtonsSendNothing() {
        fixture.signInAs("victor", {production: ["read"]})
        const b = buttons()
        mouseClick(b.approve)
        mouseClick(b.reject)
        compare(recorder.calls.length, 0)
    }
}
