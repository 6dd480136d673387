# A campaign's covered units, overdue rectification orders, plan proposals and dispute figures.
insp-field-units = Units covered
insp-board-title = Overdue rectification orders
insp-board-help = Rectification orders past their deadline whose hazard has not been re-inspected; each unit counts the units below it.
insp-board-none = No rectification order is overdue.
insp-board-orders = { $steps } orders at { $entries } establishments
ds-page-count = { $n } entries on this page
ds-pages = Pages
ds-first-page = Back to the first page
ds-next-page = Next page
reg-stats-title = Register figures
reg-stats-board = Supervision board
reg-stats-count = Entries
reg-stats-by-kind = By kind
reg-stats-by-outcome = By outcome
reg-stats-by-unit = By holding unit
insp-plan-proposal = This hazard is graded critical, which meets the trigger of plan “{ $plan }” — activate?
