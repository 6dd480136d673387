# The pilot office's main path: intake offices, leader sign-off, who must act, receipts.

nav-intake = 网上信访受理机构
intake-title = 网上信访受理机构
intake-help = 网上提交的信访事项进入这里设定的信访工作机构，由其督办员转送交办；案件编号使用该机构的代码。可为某一地区另设受理机构：信访人所选地区属于该地区时，事项进入该地区的受理机构，否则进入本辖区的受理机构。
intake-everywhere = 本辖区（全部地区）
intake-unset = 尚未设定受理机构：网上信访事项目前进入根单位，只有根单位的人员能看到。请设定本辖区的信访工作机构。
intake-region = 地区
intake-unit = 受理机构
intake-set = 设定受理机构

action-approve = 签发
action-return = 退回修改
afield-comments = 修改意见
event-approve = 领导签发
event-return = 退回修改
event-reply-draft = 起草答复（待签发）
event-review-decision-draft = 起草复查意见（待签发）
event-rereview-decision-draft = 起草复核意见（待签发）

due-routed-in = 新转入本单位的信访事项
due-sign-off-requested = 待您签发
due-draft-returned = 草稿被退回修改
notice-routed-in-from = 由{ $unit }转来
notice-draft-returned-comments = 修改意见：{ $comments }
notice-detail = 说明

waiting-route = 转送交办
waiting-accept = 受理告知
waiting-reply = 答复（信访处理意见书）
waiting-approve = 领导签发
waiting-deliver = 登记送达
waiting-review-decision = 复查意见
waiting-rereview-decision = 复核意见
waiting-close = 办结归档

holder-title = 当前承办
holder-overdue-title = 已超期：当前承办
holder-unit = 承办单位
holder-handler = 承办人
holder-no-handler = 尚未指定
holder-waiting = 待办事项

draft-awaiting-title = 待领导签发
draft-awaiting-help = 以下草稿经本单位领导签发后才正式发出，信访人此前看不到；办理期限照常计算。
draft-returned-title = 草稿已退回修改
draft-comments = 领导意见
draft-kind = 文书
draft-drafted-on = 起草日期
draft-prefilled = 下方已填入退回的草稿，请按领导意见修改后重新提交。

pilot-contact-unpublished-staff = 联系方式尚未公布：信访人在此看不到来访地址、接待时间和电话。
pilot-contact-publish = 去公布联系方式
pilot-receipt-track-title = 如何查询
pilot-receipt-track = 请访问 { $url }，输入案件编号 { $case_no } 和查询码 { $code }，即可查询办理进度、阅读答复意见。
pilot-receipt-phone = 如有疑问，请拨打 { $phone }。

timeline-draft-pending = 草稿，待领导签发后发出；信访人尚看不到。
timeline-approved-issues = 签发文书：{ $doc }
timeline-return-comments = 修改意见：{ $comments }
