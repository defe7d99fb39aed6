{{ stage_report_seed(
    ref('report_fylke'),
    table_code='fylke'
) }}
