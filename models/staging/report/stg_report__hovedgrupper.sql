{{ stage_report_seed(
    ref('report_hovedgrupper'),
    table_code='hovedgrupper'
) }}
