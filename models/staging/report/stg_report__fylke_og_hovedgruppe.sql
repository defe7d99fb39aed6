{{ stage_report_seed(
    ref('report_fylke_og_hovedgruppe'),
    table_code='fylke_hovedgruppe'
) }}
