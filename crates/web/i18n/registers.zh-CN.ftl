# 检查活动的覆盖单位、逾期整改通知、预案提议与矛盾纠纷统计。
insp-field-units = 覆盖单位
insp-board-title = 逾期未复查的整改通知
insp-board-help = 已过整改期限、隐患仍未复查的整改通知；每个单位含下级单位。
insp-board-none = 没有逾期的整改通知。
insp-board-orders = { $entries } 个检查对象 { $steps } 份整改通知
ds-page-count = 本页 { $n } 条
ds-pages = 翻页
ds-first-page = 回到第一页
ds-next-page = 下一页
reg-stats-title = 台账统计
reg-stats-board = 督查督办看板
reg-stats-count = 件数
reg-stats-by-kind = 按类型
reg-stats-by-outcome = 按化解结果
reg-stats-by-unit = 按责任单位
insp-plan-proposal = 本隐患评定为重大隐患，预案「{ $plan }」的触发条件已满足 — 启动？
