# The pilot office's main path: intake offices, leader sign-off, who must act, receipts.

nav-intake = Online intake office
intake-title = Online intake office
intake-help = Petitions submitted online land in the petition office set here, whose supervisor routes them; their case numbers use that office's code. A region can have its own intake office: a petition whose region lies in it goes there, any other to the jurisdiction's.
intake-everywhere = The whole jurisdiction
intake-unset = No intake office is set: online petitions now land in the root unit, which only its own staff can see. Set the jurisdiction's petition office.
intake-region = Region
intake-unit = Intake office
intake-set = Set an intake office

action-approve = Sign off
action-return = Send back
afield-comments = Comments
event-approve = Signed off by a leader
event-return = Sent back for changes
event-reply-draft = Reply drafted (awaiting sign-off)
event-review-decision-draft = Review opinion drafted (awaiting sign-off)
event-rereview-decision-draft = Re-review opinion drafted (awaiting sign-off)

due-routed-in = New case for your unit
due-sign-off-requested = Awaiting your sign-off
due-draft-returned = Draft sent back
notice-routed-in-from = From { $unit }
notice-draft-returned-comments = Comments: { $comments }
notice-detail = Detail

waiting-route = Routing
waiting-accept = Acceptance decision
waiting-reply = Reply (decision)
waiting-approve = A leader's sign-off
waiting-deliver = Recording delivery
waiting-review-decision = Review opinion
waiting-rereview-decision = Re-review opinion
waiting-close = Closing

holder-title = Who has the case
holder-overdue-title = Overdue: who has the case
holder-unit = Unit
holder-handler = Handler
holder-no-handler = None yet
holder-waiting = Waiting for

draft-awaiting-title = Awaiting a leader's sign-off
draft-awaiting-help = This draft is issued only once a leader of the unit signs it off; the petitioner does not see it before. The deadline keeps running.
draft-returned-title = Draft sent back for changes
draft-comments = Leader's comments
draft-kind = Document
draft-drafted-on = Drafted on
draft-prefilled = The form holds the draft that was sent back: change what the comments ask for and submit it again.

pilot-contact-unpublished-staff = Contact details not yet published: petitioners see no visiting address, hours or phone here.
pilot-contact-publish = Publish them
pilot-receipt-track-title = How to track it
pilot-receipt-track = Go to { $url } and enter the case number { $case_no } and the query code { $code } to see the progress and read the reply.
pilot-receipt-phone = Questions: call { $phone }.

timeline-draft-pending = A draft: it is issued once a leader signs it off, and the petitioner cannot see it yet.
timeline-approved-issues = Signed off and issued: { $doc }
timeline-return-comments = Changes asked for: { $comments }
