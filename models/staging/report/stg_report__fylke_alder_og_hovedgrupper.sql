{{ stage_report_seed(
    ref('report_fylke_alder_og_hovedgrupper'),
    table_code='fylke_alder_hovedgruppe'
) }}
